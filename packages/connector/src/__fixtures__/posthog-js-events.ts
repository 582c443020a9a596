/**
 * What posthog-js 1.449.2 sends to `POST /e/` (decoded body), for the six recorded examples of
 * docs/reference/posthog-capture.md#recorded-examples (as posthog-js sent them), plus the edge cases of
 * docs/reference/posthog-capture.md#edge-cases on the same page. Shared by the connector's tests (ingest, extraction,
 * HTTP server).
 */

/** A decoded posthog-js capture body: `{api_key, batch, sent_at}`. */
export interface PosthogCaptureBody {
  api_key: string;
  batch: Array<Record<string, unknown>>;
  sent_at: string;
}

/** The six recorded examples, one body each, exactly as posthog-js sent them. */
export const posthogJsEvents = {
  /** Example 1: the first `$pageview`, anonymous. */
  pageview: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
        "event": "$pageview",
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
          "$os_version": "10.15.7"
        },
        "timestamp": "2026-11-21T22:33:26.518Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:26.525Z"
  },
  /** Example 2: a click on the save button. */
  buttonClick: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-384e-7448-a427-89e81acda547",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "click",
          "$ce_version": 1,
          "$elements_chain": "button.btn.btn-primary:attr__aria-label=\"Save changes\"attr__class=\"btn btn-primary\"attr__id=\"save-btn\"attr_id=\"save-btn\"nth-child=\"3\"nth-of-type=\"2\"text=\"Save changes\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "$el_text": "Save changes",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.374Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.381Z"
  },
  /** Example 3: a click on the span inside the billing link. */
  linkClick: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-38a3-7c43-9106-177dea6d56bd",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.459,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "click",
          "$ce_version": 1,
          "$elements_chain": "span:attr__href=\"/settings/billing\"href=\"/settings/billing\"nth-child=\"1\"nth-of-type=\"1\"text=\"settings\";a.hover:underline.nav-link:attr__class=\"nav-link hover:underline\"attr__href=\"/settings/billing\"attr__id=\"billing-link\"attr_id=\"billing-link\"href=\"/settings/billing\"nth-child=\"1\"nth-of-type=\"1\"text=\"Billing settings\";nav:nth-child=\"1\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "$el_text": "settings",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.459Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.466Z"
  },
  /** Example 4: the login form's submit. */
  formSubmit: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-38fe-7a16-821d-bf4d71381985",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.55,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "submit",
          "$ce_version": 1,
          "$elements_chain": "form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.550Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.557Z"
  },
  /** Example 5: a change of the email field (its value is not sent). */
  inputChange: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-38e3-7fa9-8aef-5d225e637c65",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.523,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "change",
          "$ce_version": 1,
          "$elements_chain": "input.field:attr__class=\"field\"attr__id=\"email\"attr__name=\"email\"attr_id=\"email\"nth-child=\"2\"nth-of-type=\"1\";form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.523Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.530Z"
  },
  /** Example 6: `$pageleave` after `identify`, sent by beacon. */
  pageleave: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-4752-750b-b305-9daa9fb06967",
        "event": "$pageleave",
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
          "$process_person_profile": true
        },
        "timestamp": "2026-11-21T22:33:31.218Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:31.225Z"
  },
} satisfies Record<string, PosthogCaptureBody>;

/** Edge cases from the same page (docs/reference/posthog-capture.md#edge-cases), built on example 2's event. */
export const posthogJsEdgeEvents = {
  /** Escaped quote: <button id="quote-btn">Say "hi"; then: go</button> */
  quoteButtonClick: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-3901-7000-8000-000000000001",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "click",
          "$ce_version": 1,
          "$elements_chain": "button:attr__id=\"quote-btn\"attr_id=\"quote-btn\"nth-child=\"4\"nth-of-type=\"3\"text=\"Say \\\"hi\\\"; then: go\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "$el_text": "Say \"hi\"; then: go",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.601Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.608Z"
  },
  /** Sensitive id: <button id="export-btn">Export "CSV"</button> sends no text */
  sensitiveIdClick: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-3902-7000-8000-000000000002",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "click",
          "$ce_version": 1,
          "$elements_chain": "button:attr__id=\"export-btn\"attr_id=\"export-btn\"nth-child=\"5\"nth-of-type=\"4\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.652Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.659Z"
  },
  /** Checkbox: attr__value="yes" is captured by posthog-js and must be dropped */
  checkboxClick: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-3903-7000-8000-000000000003",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "click",
          "$ce_version": 1,
          "$elements_chain": "input:attr__id=\"agree\"attr__name=\"agree\"attr__type=\"checkbox\"attr__value=\"yes\"attr_id=\"agree\"nth-child=\"3\"nth-of-type=\"2\";form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.703Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.710Z"
  },
  /** Password field: only id and name */
  passwordChange: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-3904-7000-8000-000000000004",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "change",
          "$ce_version": 1,
          "$elements_chain": "input:attr__id=\"password\"attr__name=\"password\"attr_id=\"password\"nth-child=\"4\"nth-of-type=\"2\";form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.754Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.761Z"
  },
  /** A sibling <input data-ph-capture-value> that sent "$input_value": "Pro plan" */
  capturedValueChange: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-3905-7000-8000-000000000005",
        "event": "$autocapture",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "change",
          "$ce_version": 1,
          "$elements_chain": "input:attr__id=\"plan\"attr__name=\"plan\"attr_id=\"plan\"nth-child=\"5\"nth-of-type=\"3\";form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false,
          "$input_value": "Pro plan"
        },
        "timestamp": "2026-11-21T22:33:27.805Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.812Z"
  },
  /** Rage click: $rageclick with the save button chain of example 2 */
  rageClick: {
    "api_key": "phc_testtoken",
    "batch": [
      {
        "uuid": "01a2003e-3906-7000-8000-000000000006",
        "event": "$rageclick",
        "properties": {
          "$current_url": "https://app.example.com/dashboard?tab=reports#top",
          "$host": "app.example.com",
          "$pathname": "/dashboard",
          "$lib": "web",
          "$lib_version": "1.449.2",
          "$time": 1795300407.374,
          "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "$device_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
          "email": "jane@example.com",
          "$referrer": "https://www.google.com/",
          "$referring_domain": "www.google.com",
          "$event_type": "click",
          "$ce_version": 1,
          "$elements_chain": "button.btn.btn-primary:attr__aria-label=\"Save changes\"attr__class=\"btn btn-primary\"attr__id=\"save-btn\"attr_id=\"save-btn\"nth-child=\"3\"nth-of-type=\"2\"text=\"Save changes\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
          "$el_text": "Save changes",
          "token": "phc_testtoken",
          "$session_id": "01a2003e-3511-74aa-8210-33107c392d81",
          "$window_id": "01a2003e-3511-74aa-8210-33111cc18233",
          "$pageview_id": "01a2003e-34f6-790a-8a9b-3b59ce0b8df7",
          "$is_identified": false,
          "$process_person_profile": false
        },
        "timestamp": "2026-11-21T22:33:27.856Z"
      }
    ],
    "sent_at": "2026-11-21T22:33:27.863Z"
  },
} satisfies Record<string, PosthogCaptureBody>;

/**
 * The autocapture events of examples 2–5 as one `POST /e/` body, the way posthog-js batched them
 * (click, link click, change, submit in time order; `sent_at` after the last one).
 */
export const posthogJsAutocaptureBatch: PosthogCaptureBody = {
  api_key: 'phc_testtoken',
  batch: [
    ...posthogJsEvents.buttonClick.batch,
    ...posthogJsEvents.linkClick.batch,
    ...posthogJsEvents.inputChange.batch,
    ...posthogJsEvents.formSubmit.batch,
  ],
  sent_at: '2026-11-21T22:33:27.557Z',
};
