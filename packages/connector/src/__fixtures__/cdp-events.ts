/**
 * The CDP globals (`event`, `person`, docs/reference/posthog-capture.md#cdp-globals) PostHog's destinations see for
 * recorded examples 1 and 6 (docs/reference/posthog-capture.md#recorded-examples), as PostHog built them. This is
 * also the body of PostHog's webhook template with its default `{"event": "{event}", "person": "{person}"}` body.
 */

/** The CDP globals of examples 1 and 6. */
export const cdpGlobals = {
  /** Example 1: the first `$pageview`, anonymous. */
  pageview: {
    "event": {
      "uuid": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
      "event": "$pageview",
      "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
      "properties": {
        "$os": "Mac OS X",
        "$browser": "Chrome",
        "$device_type": "Desktop",
        "$timezone": "UTC",
        "$timezone_offset": 0,
        "$current_url": "https://app.example.com/dashboard?tab=reports#top",
        "$host": "app.example.com",
        "$pathname": "/dashboard",
        "$raw_user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "$browser_version": 131,
        "$browser_language": "en-US",
        "$browser_language_prefix": "en",
        "$screen_height": 982,
        "$screen_width": 1512,
        "$viewport_height": 857,
        "$viewport_width": 1512,
        "$lib": "web",
        "$lib_version": "1.449.2",
        "$insert_id": "hsdai4h2wo9kkrpa",
        "$time": 1795300406.544,
        "$sdk_dist_channel": "npm",
        "$initialization_time": "2026-11-21T22:33:26.465Z",
        "$configured_session_timeout_ms": 1800000,
        "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
        "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
        "$autocapture_disabled_server_side": false,
        "$web_vitals_enabled_server_side": false,
        "$exception_capture_enabled_server_side": false,
        "$dead_clicks_enabled_server_side": false,
        "$sdk_debug_extensions_init_method": "synchronous",
        "$sdk_debug_extensions_init_time_ms": 3,
        "$search_engine": "google",
        "$referrer": "https://www.google.com/",
        "$referring_domain": "www.google.com",
        "title": "Dashboard",
        "token": "phc_testtoken",
        "$config_defaults": "unset",
        "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
        "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
        "$session_entry_referrer": "https://www.google.com/",
        "$session_entry_referring_domain": "www.google.com",
        "$session_entry_url": "https://app.example.com/dashboard?tab=reports#top",
        "$session_entry_host": "app.example.com",
        "$session_entry_pathname": "/dashboard",
        "$session_entry_search_engine": "google",
        "$recording_status": "disabled",
        "$sdk_debug_retry_queue_size": 0,
        "$lib_custom_api_host": "https://connector.example.com",
        "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
        "$is_identified": false,
        "$process_person_profile": false,
        "$lib_rate_limit_remaining_tokens": 99,
        "$os_version": "10.15.7",
        "$ip": "203.0.113.7"
      },
      "elements_chain": "",
      "timestamp": "2026-11-21T22:33:26.518Z",
      "url": "https://us.posthog.com/project/12345/events/01a2003e-34f6-790a-8a9b-3b59ce0b8df7/2026-11-21T22%3A33%3A26.518Z"
    },
    "person": {
      "id": "0190f3c2-5b1e-7000-8000-aaaaaaaaaaaa",
      "name": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
      "url": "https://us.posthog.com/project/12345/person/01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
      "properties": {}
    }
  },
  /** Example 6: `$pageleave` after `identify`, sent by beacon. */
  pageleave: {
    "event": {
      "uuid": "01a2003e-4752-750b-b305-9daa9fb06967",
      "event": "$pageleave",
      "distinct_id": "user_42",
      "properties": {
        "$current_url": "https://app.example.com/dashboard?tab=reports#top",
        "$host": "app.example.com",
        "$pathname": "/dashboard",
        "$lib": "web",
        "$lib_version": "1.449.2",
        "$time": 1795300411.218,
        "distinct_id": "user_42",
        "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
        "email": "jane@example.com",
        "$user_id": "user_42",
        "$referrer": "https://www.google.com/",
        "$referring_domain": "www.google.com",
        "token": "phc_testtoken",
        "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
        "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
        "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
        "$prev_pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
        "$prev_pageview_last_scroll": 0,
        "$prev_pageview_last_scroll_percentage": 1,
        "$prev_pageview_max_scroll": 0,
        "$prev_pageview_max_scroll_percentage": 1,
        "$prev_pageview_last_content": 0,
        "$prev_pageview_last_content_percentage": 1,
        "$prev_pageview_max_content": 0,
        "$prev_pageview_max_content_percentage": 1,
        "$prev_pageview_pathname": "/dashboard",
        "$prev_pageview_duration": 4.7,
        "$is_identified": true,
        "$process_person_profile": true,
        "$ip": "203.0.113.7"
      },
      "elements_chain": "",
      "timestamp": "2026-11-21T22:33:31.218Z",
      "url": "https://us.posthog.com/project/12345/events/01a2003e-4752-750b-b305-9daa9fb06967/2026-11-21T22%3A33%3A31.218Z"
    },
    "person": {
      "id": "0190f3c2-5b1e-7000-8000-5a1b2c3d4e5f",
      "name": "jane@example.com",
      "url": "https://us.posthog.com/project/12345/person/user_42",
      "properties": {
        "email": "jane@example.com",
        "plan": "pro"
      }
    }
  },
} satisfies Record<string, { event: Record<string, unknown>; person: Record<string, unknown> }>;
