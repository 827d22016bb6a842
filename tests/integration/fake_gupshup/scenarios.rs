//! The bodies of shared/reference/gupshup.md §2 (wallet) and gupshup-health.md §9 (health,
//! ratings, waba/info, templates), verbatim where the reference quotes Gupshup, else in its
//! documented shape.

// Wallet (gupshup.md §2).
pub const SELF_SERVE_ABOVE: &str = r#"{"balance":41.938,"status":"success"}"#;
pub const SELF_SERVE_BELOW: &str = r#"{"balance":0.787,"status":"success"}"#;
pub const PARTNER_NEGATIVE: &str = r#"{"status":"success","walletResponse":{"currency":"USD","currentBalance":-1.787,"overDraftLimit":-20.0}}"#;
pub const PARTNER_NO_STATUS: &str =
    r#"{"walletResponse":{"currency":"USD","currentBalance":120.5,"overDraftLimit":0}}"#;
pub const BAD_KEY_TEXT: &str = "Portal User Not Found With APIKey";
pub const PARTNER_UNAUTHORIZED: &str = r#"{"status":"error","message":"Unauthorized Access"}"#;
pub const TOO_MANY: &str = r#"{"status":"error","message":"Too Many Requests"}"#;
pub const SERVER_ERROR: &str = r#"{"status":"error","message":"Internal Server Error"}"#;
pub const PARTNER_INR: &str = r#"{"status":"success","walletResponse":{"currency":"INR","currentBalance":900,"overDraftLimit":0}}"#;

// Every health endpoint (gupshup-health.md §9, first paragraph); 401 JSON and 429 are
// PARTNER_UNAUTHORIZED and TOO_MANY above.
/// A 401 with a plain-text body (the docs show no body for the partner 401s).
pub const UNAUTHORIZED_TEXT: &str = "Unauthorized";
/// The ratings page's 500.
pub const DEV_SUPPORT: &str = r#"{"status":"error","message":"Internal server error. Please try again later and If Issue still persist than contact Gupshup Dev Support"}"#;

// 1. App health.
pub const HEALTH_TRUE: &str = r#"{ "status": "success", "healthy": "true" }"#;
pub const HEALTH_FALSE: &str = r#"{"status":"success","healthy":"false"}"#;
pub const HEALTH_BOOL: &str = r#"{"status":"success","healthy":true}"#;
pub const HEALTH_NOT_LIVE: &str = r#"{"message":"App is not live.","status":"error"}"#;
pub const HEALTH_NO_WABA: &str =
    r#"{"message":"Waba id not found for the given App","status":"error"}"#;
pub const HEALTH_AUTH_FAILED: &str = r#"{"message":"Authentication Failed","status":"error"}"#;
pub const HEALTH_EXTRA_KEYS: &str = r#"{"status":"success","healthy":"true","live":true,"stopped":false,"cap":75.0,"checks":{"waba":"ok"}}"#;

// 2. Ratings.
pub const RATINGS_ONBOARDING: &str = r#"{ "oldLimit": "TIER_10K", "currentLimit": "TIER_10K", "event": "ONBOARDING", "eventTime": 123455556, "phoneQuality": "GREEN" }"#;
pub const RATINGS_DOWNGRADE: &str = r#"{"oldLimit":"TIER_1K","currentLimit":"TIER_250","event":"DOWNGRADE","eventTime":1762084800000,"phoneQuality":"RED"}"#;
pub const RATINGS_FLAGGED: &str = r#"{"oldLimit":"TIER_1K","currentLimit":"TIER_1K","event":"FLAGGED","eventTime":1762084800000,"phoneQuality":"YELLOW"}"#;
pub const RATINGS_NO_EVENT: &str =
    r#"{ "message": "no event update available", "status": "success" }"#;
pub const RATINGS_NO_QUALITY: &str = r#"{"oldLimit":"TIER_1K","currentLimit":"TIER_10K","event":"UPGRADE","eventTime":1640944847609}"#;
pub const RATINGS_TIER_2K: &str = r#"{"oldLimit":"TIER_250","currentLimit":"TIER_2K","event":"UPGRADE","eventTime":1762084800000,"phoneQuality":"GREEN"}"#;
pub const RATINGS_EXTRA_KEYS: &str = r#"{"oldLimit":"TIER_1K","currentLimit":"TIER_1K","event":"UNFLAGGED","eventTime":1762084800000,"phoneQuality":"GREEN","portfolioLimit":"TIER_2K","wabaId":"216141188246170"}"#;

// 3. waba/info.
pub const WABA_AVAILABLE: &str = r#"{"wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"918375031069","phoneQuality":"GREEN","wabaId":"216141188246170","canSendMessage":"AVAILABLE"},"status":"success"}"#;
pub const WABA_LIMITED: &str = r#"{"wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"917835039205","phoneQuality":"GREEN","wabaId":"116676371511027","canSendMessage":"LIMITED","additionalInfo":["Your display name has not been approved yet. Your message limit will increase after the display name is approved."]},"status":"success"}"#;
/// The reference has no verbatim BLOCKED body: its enums plus an `errors[]` entry.
pub const WABA_BLOCKED: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"918375031069","phoneQuality":"RED","wabaId":"216141188246170","canSendMessage":"BLOCKED","errors":[{"error_code":"141014","error_description":"The WhatsApp Business Account is restricted from messaging.","possible_solution":"Review the policy violation in Business Manager and request a review."}]}}"#;
pub const WABA_BANNED: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"BANNED","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"918375031069","phoneQuality":"GREEN","wabaId":"216141188246170","canSendMessage":"BLOCKED"}}"#;
pub const WABA_DISCONNECTED: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"DISCONNECTED","messagingLimit":"TIER_1K","phone":"918375031069","phoneQuality":"GREEN","wabaId":"216141188246170","canSendMessage":"AVAILABLE"}}"#;
pub const WABA_RESTRICTED: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"RESTRICTED","messagingLimit":"TIER_1K","phone":"918375031069","phoneQuality":"GREEN","wabaId":"216141188246170","canSendMessage":"LIMITED"}}"#;
pub const WABA_FLAGGED: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"FLAGGED","messagingLimit":"TIER_1K","phone":"918375031069","phoneQuality":"YELLOW","wabaId":"216141188246170","canSendMessage":"AVAILABLE"}}"#;
pub const WABA_QUALITY_UNKNOWN: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_250","phone":"918375031069","phoneQuality":"UNKNOWN","wabaId":"216141188246170","canSendMessage":"AVAILABLE"}}"#;
pub const WABA_TIER_NOT_SET: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"PENDING","messagingLimit":"TIER_NOT_SET","phone":"918375031069","phoneQuality":"UNKNOWN","wabaId":"216141188246170","canSendMessage":"AVAILABLE"}}"#;
pub const WABA_EXTRA_KEYS: &str = r#"{"status":"success","wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_10K","mmLiteStatus":"ONBOARDED","ownershipType":"CLIENT_OWNED","phone":"918375031069","phoneQuality":"GREEN","throughput":"HIGH","verifiedName":"Acme Soporte","wabaId":"216141188246170","canSendMessage":"AVAILABLE","portfolio":{"limit":"TIER_2K"}},"requestId":"r-1"}"#;

// 4. Templates (the partner list and the self-serve one alike).
pub const TEMPLATES_ALL_APPROVED: &str = r#"{"status":"success","templates":[{"appId":"app-1","category":"UTILITY","createdOn":1671619377053,"data":"Tu pedido {{1}} está en camino","elementName":"order_update","id":"tpl-1","languageCode":"es","modifiedOn":1678794041479,"quality":"GREEN","status":"APPROVED","templateType":"TEXT","wabaId":"216141188246170"},{"appId":"app-1","category":"MARKETING","elementName":"welcome","id":"tpl-2","languageCode":"es","quality":"GREEN","status":"APPROVED","templateType":"TEXT"}]}"#;
pub const TEMPLATES_ONE_PAUSED: &str = r#"{"status":"success","templates":[{"category":"UTILITY","elementName":"order_update","id":"tpl-1","languageCode":"es","quality":"RED","status":"PAUSED"},{"category":"MARKETING","elementName":"welcome","id":"tpl-2","languageCode":"es","quality":"GREEN","status":"APPROVED"}]}"#;
pub const TEMPLATES_ONE_DISABLED: &str = r#"{"status":"success","templates":[{"category":"UTILITY","elementName":"order_update","id":"tpl-1","languageCode":"es","quality":"RED","status":"DISABLED"}]}"#;
pub const TEMPLATES_REJECTED: &str = r#"{"status":"success","templates":[{"category":"MARKETING","elementName":"promo","id":"tpl-3","languageCode":"es","quality":"UNKNOWN","status":"REJECTED","reason":"INVALID_FORMAT: the template has too many variables for its length"}]}"#;
pub const TEMPLATES_PENDING: &str = r#"{"status":"success","templates":[{"category":"AUTHENTICATION","elementName":"otp","id":"tpl-4","languageCode":"es","status":"PENDING"}]}"#;
pub const TEMPLATES_QUALITIES: &str = r#"{"status":"success","templates":[{"id":"tpl-5","status":"APPROVED","category":"MARKETING","quality":"YELLOW"},{"id":"tpl-6","status":"APPROVED","category":"MARKETING","quality":"RED"},{"id":"tpl-7","status":"PENDING","category":"AUTHENTICATION","quality":"HIGH"}]}"#;
pub const TEMPLATES_EMPTY: &str = r#"{"status":"success","templates":[]}"#;
pub const TEMPLATES_CONTAINER_META: &str = r#"{"status":"success","templates":[{"category":"MARKETING","containerMeta":"{\"appId\":\"app-1\",\"data\":\"Hola {{1}}\",\"sampleText\":\"Hola Ana\",\"correctCategory\":\"UTILITY\"}","elementName":"welcome","id":"tpl-2","languageCode":"es","oldCategory":"UTILITY","quality":"GREEN","status":"APPROVED"}]}"#;
pub const TEMPLATES_EXTRA_KEYS: &str = r#"{"status":"success","templates":[{"category":"UTILITY","elementName":"order_update","externalId":"1234567890","id":"tpl-1","languagePolicy":"deterministic","languageCode":"es","meta":"{\"example\":\"x\"}","namespace":"ns","priority":1,"quality":"GREEN","retry":0,"stage":"NONE","status":"APPROVED","vertical":"ORDER"}],"pageNo":0}"#;
