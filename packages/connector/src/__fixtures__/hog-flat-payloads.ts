/**
 * The flat bodies Autoplay's Hog script POSTs to `/webhook/:product` for the six recorded examples of
 * docs/reference/posthog-capture.md#recorded-examples.
 */

/** The flat payload of Autoplay's Hog script (docs/reference/posthog-capture.md#flat-hog-payload). */
export interface HogFlatPayload {
  event: string;
  referrer: string;
  email: string;
  timestamp: string;
  element_id: string;
  event_type: string;
  session_id: string;
  current_url: string;
  distinct_id: string;
  elements_chain: string;
  input_field_name: string;
  link_destination: string;
  button_or_link_text: string;
}

/** The six recorded examples, the flat payload of each. */
export const hogFlatPayloads = {
  /** Example 1: the first `$pageview`, anonymous. */
  pageview: {
    "event": "$pageview",
    "referrer": "https://www.google.com/",
    "email": "",
    "timestamp": "2026-11-21T22:33:26.518Z",
    "element_id": "",
    "event_type": "",
    "session_id": "01a2003e-3511-74aa-8210-33107c392d81",
    "current_url": "https://app.example.com/dashboard?tab=reports#top",
    "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
    "elements_chain": "",
    "input_field_name": "",
    "link_destination": "",
    "button_or_link_text": ""
  },
  /** Example 2: a click on the save button. */
  buttonClick: {
    "event": "$autocapture",
    "referrer": "https://www.google.com/",
    "email": "jane@example.com",
    "timestamp": "2026-11-21T22:33:27.374Z",
    "element_id": "save-btn",
    "event_type": "click",
    "session_id": "01a2003e-3511-74aa-8210-33107c392d81",
    "current_url": "https://app.example.com/dashboard?tab=reports#top",
    "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
    "elements_chain": "button.btn.btn-primary:attr__aria-label=\"Save changes\"attr__class=\"btn btn-primary\"attr__id=\"save-btn\"attr_id=\"save-btn\"nth-child=\"3\"nth-of-type=\"2\"text=\"Save changes\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
    "input_field_name": "",
    "link_destination": "",
    "button_or_link_text": "Save changes"
  },
  /** Example 3: a click on the span inside the billing link. */
  linkClick: {
    "event": "$autocapture",
    "referrer": "https://www.google.com/",
    "email": "jane@example.com",
    "timestamp": "2026-11-21T22:33:27.459Z",
    "element_id": "billing-link",
    "event_type": "click",
    "session_id": "01a2003e-3511-74aa-8210-33107c392d81",
    "current_url": "https://app.example.com/dashboard?tab=reports#top",
    "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
    "elements_chain": "span:attr__href=\"/settings/billing\"href=\"/settings/billing\"nth-child=\"1\"nth-of-type=\"1\"text=\"settings\";a.hover:underline.nav-link:attr__class=\"nav-link hover:underline\"attr__href=\"/settings/billing\"attr__id=\"billing-link\"attr_id=\"billing-link\"href=\"/settings/billing\"nth-child=\"1\"nth-of-type=\"1\"text=\"Billing settings\";nav:nth-child=\"1\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
    "input_field_name": "",
    "link_destination": "/settings/billing",
    "button_or_link_text": "settings"
  },
  /** Example 4: the login form's submit. */
  formSubmit: {
    "event": "$autocapture",
    "referrer": "https://www.google.com/",
    "email": "jane@example.com",
    "timestamp": "2026-11-21T22:33:27.550Z",
    "element_id": "login-form",
    "event_type": "submit",
    "session_id": "01a2003e-3511-74aa-8210-33107c392d81",
    "current_url": "https://app.example.com/dashboard?tab=reports#top",
    "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
    "elements_chain": "form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
    "input_field_name": "login",
    "link_destination": "",
    "button_or_link_text": ""
  },
  /** Example 5: a change of the email field (its value is not sent). */
  inputChange: {
    "event": "$autocapture",
    "referrer": "https://www.google.com/",
    "email": "jane@example.com",
    "timestamp": "2026-11-21T22:33:27.523Z",
    "element_id": "email",
    "event_type": "change",
    "session_id": "01a2003e-3511-74aa-8210-33107c392d81",
    "current_url": "https://app.example.com/dashboard?tab=reports#top",
    "distinct_id": "01a2003e-34c8-7ca5-99d5-4491ee7f4c74",
    "elements_chain": "input.field:attr__class=\"field\"attr__id=\"email\"attr__name=\"email\"attr_id=\"email\"nth-child=\"2\"nth-of-type=\"1\";form:attr__action=\"/login\"attr__id=\"login-form\"attr__name=\"login\"attr_id=\"login-form\"nth-child=\"7\"nth-of-type=\"1\";div.container.main:attr__class=\"container main\"attr__id=\"app\"attr_id=\"app\"nth-child=\"1\"nth-of-type=\"1\";body:nth-child=\"2\"nth-of-type=\"1\"",
    "input_field_name": "email",
    "link_destination": "",
    "button_or_link_text": ""
  },
  /** Example 6: `$pageleave` after `identify`, sent by beacon. */
  pageleave: {
    "event": "$pageleave",
    "referrer": "https://www.google.com/",
    "email": "jane@example.com",
    "timestamp": "2026-11-21T22:33:31.218Z",
    "element_id": "",
    "event_type": "",
    "session_id": "01a2003e-3511-74aa-8210-33107c392d81",
    "current_url": "https://app.example.com/dashboard?tab=reports#top",
    "distinct_id": "user_42",
    "elements_chain": "",
    "input_field_name": "",
    "link_destination": "",
    "button_or_link_text": ""
  },
} satisfies Record<string, HogFlatPayload>;
