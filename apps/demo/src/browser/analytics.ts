/**
 * posthog-js, bundled from npm and pointed straight at the Sightline connector. The settings follow the first set-up
 * of docs/reference/posthog-capture.md#recommended-set-ups: the connector answers `/array/:token/config` with
 * `autocapture_opt_out: false`, which is what turns autocapture on (without an explicit opinion from the server,
 * posthog-js keeps autocapture off).
 */
import posthog from 'posthog-js';
// The dead-click detector is one of posthog-js's lazily loaded bundles; bundled here, it needs no download
// (the demo turns external loading off), so `capture_dead_clicks` works offline.
import 'posthog-js/dist/dead-clicks-autocapture';
import type { DemoPageConfig } from '../demo-config.ts';

/** Starts posthog-js for the signed-in demo user and returns the instance. */
export function startAnalytics(config: DemoPageConfig): typeof posthog {
  posthog.init(config.captureToken, {
    api_host: config.connectorUrl,
    person_profiles: 'identified_only',
    // Single-page app: a pageview per pushState, so "went to Team" reaches the bridge.
    capture_pageview: 'history_change',
    capture_pageleave: true,
    autocapture: true,
    session_idle_timeout_seconds: 120,
    // One request per event: the chat should see a click within milliseconds, not after a batch flush.
    request_batching: false,
    // Nothing here needs recordings, surveys, flags or lazily loaded bundles, and a demo must work offline.
    disable_session_recording: true,
    disable_surveys: true,
    advanced_disable_feature_flags: true,
    disable_external_dependency_loading: true,
    // A click after which nothing changes on the page is a sign of a lost user: the connector makes it a failed step.
    capture_dead_clicks: true,
    capture_exceptions: false,
    capture_performance: false,
    capture_heatmaps: false,
    // posthog-js drops events from browsers that look automated (HeadlessChrome, navigator.webdriver).
    // This is a demo: the browser test, and anyone scripting it, must see the loop work too.
    opt_out_useragent_filter: true,
  });
  // identify() puts the email on the person only; register() puts it on every later event, which is
  // where the connector reads it (docs/reference/posthog-capture.md#identity-and-email).
  posthog.identify(config.userId, { email: config.email, name: config.userName });
  posthog.register({ email: config.email });
  return posthog;
}
