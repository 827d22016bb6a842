# pulso — English, the default of Discord registration. Same keys and variables as es.ftl.

## Locale data: the config code, Fluent's language tag (plural rules), the Discord
## locales that get these texts, and the number separators.
locale-code = en
locale-langid = en-US
locale-discord = en-US en-GB
number-thousands = ,
number-decimal = .

## Dates: `Nov 23, 2026`, and `Nov 23` on the chart's axis.
month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
date-full = { $month } { $day }, { $year }
date-day = { $month } { $day }

## Counted nouns: $count picks the plural form, $shown is the formatted number.
count-days = { $count ->
    [one] { $shown } day
   *[other] { $shown } days
}
count-responses = { $shown } resp.
count-minutes = { $shown } min
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days } d { $hours } h

## Indicator labels (the seed's English half).
label-nps = NPS score
label-csat = CSAT score
label-pending = Pending inquiries
label-in-progress = Inquiries in progress
label-resolved = Resolved inquiries
label-expired = Expired inquiries
label-avg-attention = Average attention
label-avg-resolution = Average resolution
label-avg-attention-resolution = Average attention + resolution
label-expired-rate = Expired rate
label-oldest-pending = Oldest pending
label-current = Current
label-previous = Previous
label-change = Change
label-no-data = no data
label-median = median
label-now = now
label-waiting = waiting
label-none = none
label-period = Period
label-indicators-title = Customer service indicators
label-view-details = View details
label-status-pending = Pending
label-status-in-progress = In progress
label-status-resolved = Resolved
label-status-expired = Expired
label-oldest-ten = Oldest
label-total = Total
label-versus = vs. previous period

## Breakdowns and filters: /indicators by operator, origin or channel.
dimension-operator = operator
dimension-origin = origin
dimension-channel = channel
filter-line = Filter: { $restrictions }
breakdown-title = Indicators by { $dimension } · { $period }
breakdown-unassigned = unassigned
breakdown-others = others ({ $count })
breakdown-shown = Showing { $shown } of { $total } groups; every group is in the attached CSV.
breakdown-empty = No inquiries in this period.
breakdown-volume = Volume
breakdown-times = Times (min)
breakdown-scores = Surveys
breakdown-col-operator = Operator
breakdown-col-origin = Origin
breakdown-col-channel = Channel
breakdown-col-resolved = Resolved
breakdown-col-expired = Expired
breakdown-col-pending = Pending
breakdown-col-in-progress = In progress
breakdown-col-attention = Attention (med)
breakdown-col-resolution = Resolution (med)
breakdown-col-nps = NPS (resp)
breakdown-col-csat = CSAT (resp)
breakdown-sorted = sorted by { $order }
sort-resolved = resolved, most first
sort-expired = expired, most first
sort-attention = attention, slowest first
sort-resolution = resolution, slowest first
sort-csat = CSAT, lowest first
sort-nps = NPS, lowest first

## Digest and chart.
digest-daily = Daily digest
digest-weekly = Weekly digest
digest-late = ⏰ Posted late: it was due at { $time }.
chart-count-axis = Inquiries per day
chart-attention = { label-avg-attention } (min)

## Gupshup balance and alerts.
gupshup-balance = Gupshup balance
not-gupshup = ℹ️ The workspace { $workspace } does not use Gupshup as its WhatsApp provider: there is no balance or WhatsApp health to show.
level-ok = ok
level-low = low
level-critical = critical
balance-amount = Balance
balance-read-at = Read at
balance-threshold = Threshold
balance-state = State
balance-other-currency = The currency is { $currency }: it is not compared with the { $threshold } USD threshold.
balance-no-reading = No balance reading yet: the monitor polls Gupshup periodically.
alerts-state = State: **{ $level }**
alerts-state-since = State: **{ $level }** (since { $since })
alerts-failures = Consecutive failed readings: { $failures }
alerts-muted-until = 🔇 Muted until { $until }
alerts-on = 🔔 Alerts on
alerts-muted = 🔇 Balance alerts muted.
alerts-unmuted = 🔔 Balance alerts are back on.
alert-needs = The chatbot needs balance to work: without it, it stops sending WhatsApp messages. Recharge the Gupshup wallet.
alert-low-title = Low Gupshup balance
alert-critical-title = Critical Gupshup balance
alert-reminder-title = Reminder: Gupshup balance still low
alert-resolved-title = Gupshup balance recovered
alert-unknown-title = Cannot read the Gupshup balance
alert-resolved = The balance is back at **{ $balance }** (≥ { $limit }). Alert resolved.
alert-key-rejected = API key rejected by Gupshup: check the configured environment variable.
alert-unknown = Three readings in a row failed. { $why }
    Until it can be read, nobody knows if there is balance. { $needs }
alert-days-left = At the spending rate of the last 7 days it lasts about **{ $days }**.
alert-no-history = Not enough history yet to estimate the days left.
alert-below = The balance is **{ $balance }**, under { $limit }. { $days }
    { $needs }
alert-days-left-field = Days left (est.)
alert-footer = pulso · /alerts mute to silence
alert-resolved-after = ✅ Gupshup balance recovered after { $lasted }
alerts-acked-by = ✅ Acknowledged by { $by }: no reminders for this episode
digest-queued = ✅ Digest queued; it will be posted in <#{ $channel }> within a minute.
digest-queued-console = ✅ Digest queued; it will print here within a minute.

## Problems a command reports.
error-unknown-command = I don't know the command /{ $command }.
error-no-workspace = This server is not linked to a pulso workspace. An administrator needs to add its id as `guild_id` in the configuration.
error-missing-option = The option `{ $option }` is missing.
error-bad-option = `{ $option }`: "{ $value }" is not valid; { $expected }.
expected-period = use today, yesterday, last-7-days, last-30-days, this-month or last-month
expected-status = use pending, in_progress, resolved or expired
expected-date = write the date as YYYY-MM-DD
expected-duration = write it like 30m, 2h or 1d, at most 30d
error-period-and-dates = Use either `period` or `from` and `to`, not both.
error-half-range = Give `from` and `to` together (dates as YYYY-MM-DD).
error-from-after-to = The start date { $from } is after the end date { $to }; swap them.
error-too-long = The period spans { $days }; the longest allowed is { $max }.
error-forbidden = You need the Manage Server permission to use this command.
error-no-digest-channel = This workspace has no digest channel: an administrator needs to set `digest.channel_id`.
error-database = I could not read the inquiry database. Try again in a few minutes; if it keeps failing, tell whoever runs pulso.
error-slow = The database is taking too long to answer. Try again in a few minutes.
error-unknown-option = /{ $command } has no option `{ $option }`. Its options: { $known }.
error-unknown-option-near = /{ $command } has no option `{ $option }`; did you mean `{ $suggestion }`? Its options: { $known }.
error-no-options = /{ $command } takes no options (got `{ $option }`).
error-duplicate-option = The option `{ $option }` is given more than once; give it once.
error-unknown-subcommand = /{ $command } has no subcommand `{ $subcommand }`. Its subcommands: { $known }.
error-unknown-subcommand-near = /{ $command } has no subcommand `{ $subcommand }`; did you mean `{ $suggestion }`? Its subcommands: { $known }.
error-missing-subcommand = /{ $command } needs a subcommand: { $known }.
error-internal = ⚠️ pulso hit an internal error.

## Slash commands as Discord shows them: names, descriptions, choices.
help-heading = Commands:
cmd-indicators-name = indicators
cmd-indicators = Customer service indicators for a period
cmd-inquiries-name = inquiries
cmd-inquiries = Inquiries of one status, with the oldest waiting ones
cmd-digest-name = digest
cmd-digest = The daily digest, now
cmd-balance-name = balance
cmd-balance = The Gupshup wallet balance
cmd-alerts-name = alerts
cmd-alerts = Gupshup balance alerts
sub-digest-preview = Show the digest only to you
sub-digest-send = Post the digest to its channel now (Manage Server)
sub-alerts-mute = Silence alerts for a while: one rule, or the balance and every rule (Manage Server)
sub-alerts-unmute = Turn alerts back on: one rule, or the balance and every rule (Manage Server)
sub-alerts-status = Alert state: the balance, every rule, mutes and acknowledgements
opt-period = Period (default: today)
opt-from = First day, YYYY-MM-DD (with to)
opt-to = Last day, YYYY-MM-DD (with from)
opt-status = Which inquiries
opt-duration = How long, e.g. 2h, 1d (default 24h, at most 30d)
choice-today = Today
choice-yesterday = Yesterday
choice-last-7-days = Last 7 days
choice-last-30-days = Last 30 days
choice-this-month = This month
choice-last-month = Last month

# Alert rules (queue, SLA, expirations)
count-inquiries = { $count ->
    [one] { $shown } inquiry
   *[other] { $shown } inquiries
}
rule-title-firing = ⚠️ { $name }
rule-title-critical = 🔴 { $name } · critical
rule-title-reminder = ⏰ { $name } · still firing
rule-title-resolved = ✅ { $name } · resolved
rule-title-unknown = ❔ { $name } · cannot evaluate
rule-queue-waiting = Waiting over { $over }: **{ $value }** (alert at { $threshold }).
rule-oldest-pending = The oldest pending inquiry has waited **{ $value }** (alert at { $threshold }).
rule-attention-sla = Attended within { $target } in the last { $window }: **{ $value }** (alert under { $threshold }).
rule-expired-spike = Expired in the last { $window }: **{ $value }** (alert at { $threshold }).
rule-since = Since { $since }.
rule-resolved = Resolved after { $lasted }; now { $value }.
rule-unknown = The inquiry database did not answer three evaluations in a row. The rule keeps its state and tries again with every tick.
rule-footer = pulso · alert rule { $rule }

# The low_survey rule (low survey answers)
count-answers-reported = { $count ->
    [one] { $shown } answer reported
   *[other] { $shown } answers reported
}
survey-title = 🙁 { $name } · { $count ->
    [one] { $shown } low answer
   *[other] { $shown } low answers
}
survey-intro = NPS { $nps } or lower and CSAT { $csat } or lower:
survey-inquiry = inquiry { $id }
survey-no-inquiry = no inquiry
survey-operator = operator { $operator }
survey-more = { $count ->
    [one] …and { $shown } more answer.
   *[other] …and { $shown } more answers.
}
alerts-survey-last = last message { $at }
alerts-survey-never = no message yet

# /alerts for alert rules
sub-alerts-ack = Acknowledge a firing rule: its reminders stop for this episode (Manage Server)
sub-alerts-snooze = Silence one rule for a while (Manage Server)
opt-rule = The alert rule's name, as /alerts status lists it
opt-snooze-duration = How long, e.g. 1h, 4h (default 1h, at most 30d)
alerts-rules-heading = **Alert rules**
rule-level-ok = ok
rule-level-firing = firing
rule-level-critical = critical
alerts-rule-since = since { $since }
alerts-rule-acked = acknowledged by { $by }
alerts-rule-snoozed = 🔇 until { $until }
alerts-rule-disabled = disabled
alerts-rule-no-value = no value yet
alerts-none = This workspace has no alerts: no Gupshup balance and no `[[workspaces.alerts]]` rules.
alerts-unknown-rule = There is no alert rule named `{ $rule }`. Rules: { $known }.
alerts-acked = ✅ { $rule } acknowledged by { $by }: no more reminders for this episode.
alerts-not-firing = { $rule } is not firing: there is nothing to acknowledge.
alerts-rule-snoozed-until = 🔇 { $rule } silenced until { $until }; its state keeps being tracked.
alerts-rule-unsnoozed = 🔔 { $rule } is back on.
alerts-rules-snoozed-until = 🔇 Every alert rule silenced until { $until }.
alerts-rules-unsnoozed = 🔔 Every alert rule is back on.
button-acknowledge = ✅ Acknowledge
button-snooze-1h = 🔇 Snooze 1 h
button-snooze-4h = 🔇 Snooze 4 h
pressed-acknowledged = ✅ Acknowledged by { $by } at { $at }.
pressed-snoozed = 🔇 Snoozed by { $by } until { $until }.
pressed-old-episode = This button belongs to an episode that is over.
pressed-unknown = This button is not one pulso knows.
rule-title-resolved-after = ✅ { $name } · resolved after { $lasted }
error-direct-message = pulso answers in the server whose workspace it watches, not in direct messages: use the command in that server.
error-missing-admin-role = You need the Manage Server permission or one of these roles: { $roles }.
error-missing-viewer-role = Only members with one of these roles may see pulso here: { $roles }.

# Option and subcommand names as Discord shows them (interactions carry the English ones).
opt-period-name = period
opt-from-name = from
opt-to-name = to
opt-status-name = status
opt-duration-name = duration
opt-rule-name = rule
sub-digest-preview-name = preview
sub-digest-send-name = send
sub-alerts-status-name = status
sub-alerts-mute-name = mute
sub-alerts-unmute-name = unmute
sub-alerts-ack-name = ack
sub-alerts-snooze-name = snooze

# /inquiries: the queue now, or a period
inquiries-live = Right now, oldest first: a queue has no period
opt-inquiries-period = Period for resolved, expired or pending (default: today; pending: the queue now)
inquiries-in-period = Requested in { $period }

# The demo wallet (gupshup.mode = "demo")
gupshup-balance-demo = Gupshup balance (demo)
label-demo = demo
balance-demo-note = 🧪 Demo: a wallet simulated by pulso. No Gupshup account is read and nothing is charged.

# WhatsApp health on Gupshup (app health, account, quality, templates)
cmd-whatsapp-name = whatsapp
cmd-whatsapp = WhatsApp health on Gupshup: app, account, quality, messaging limit and templates
wa-signal-app-health = Gupshup app health
wa-signal-account = WhatsApp account
wa-signal-quality = Quality and messaging limit
wa-signal-templates = Templates
wa-what-app-health = the app's health
wa-what-account = the WhatsApp account's status
wa-what-quality = the number's quality rating and messaging limit
wa-what-templates = the templates
wa-quality-word = { $quality ->
    [GREEN] high
    [YELLOW] medium
    [RED] low
   *[other] not rated
}
wa-tier-unlimited = unlimited
wa-users-per-day = { $count ->
    [one] { $shown } user per day
   *[other] { $shown } users per day
}
wa-demo-note = 🧪 Demo: signals simulated by pulso; no Gupshup account is read.
wa-and-more = …and { $shown } more.
wa-app-unhealthy = Gupshup reports the app as not healthy.
wa-app-unhealthy-reason = Gupshup reports the app as not healthy: "{ $reason }".
wa-app-impact = Until it is, the chatbot may stop sending and receiving WhatsApp messages. Check the app in Gupshup's dashboard.
wa-app-fine = Gupshup reports the app as healthy again.
wa-account-problem = The WhatsApp account cannot send messages normally.
wa-account-problems = The WhatsApp account cannot send messages normally: **{ $problems }**.
wa-gupshup-says = Gupshup says:
wa-account-impact = While the number is blocked or restricted the chatbot stops sending WhatsApp messages (or reaches fewer customers). Check the number in Meta's WhatsApp Manager or in Gupshup's dashboard.
wa-account-fine = The WhatsApp account sends messages normally again.
wa-quality-is = The number's quality rating is **{ $quality }**; messaging limit: { $limit }.
wa-quality-low = The number's quality rating dropped.
wa-limit-unknown = unknown
wa-quality-impact-yellow = If the quality keeps dropping, Meta may lower the daily messaging limit and the chatbot will reach fewer customers.
wa-quality-impact-red = With a low quality rating Meta may lower the messaging limit or restrict the number. Check which templates or messages make customers block or report the number.
wa-quality-fine = The number's quality rating is back to normal.
wa-quality-fine-is = The number's quality rating is back to **{ $quality }**; messaging limit: { $limit }.
wa-templates-problem = Some templates cannot be sent: see /whatsapp.
wa-templates-fine = The templates are fine again.
wa-lasted = It lasted { $lasted }.
wa-unknown = pulso cannot read { $what } from Gupshup.
wa-key-rejected = Gupshup rejected the API key or token (API key/token rejected): check the configured environment variable and that the token is still valid.
wa-error = Error: { $error }
wa-unknown-keeps = The rule keeps its state and tries again on every check; until then nobody knows whether something is wrong.
wa-field-number = Number
wa-field-language = Language
wa-field-category = Category
wa-field-status = Status
wa-field-quality = Quality
wa-limit-lowered-title = 📉 Messaging limit lowered
wa-limit-lowered = Meta lowered the WhatsApp messaging limit from **{ $from }** to **{ $to }** ({ $tiers }).
wa-limit-lowered-impact = The chatbot can start conversations with only that many different customers every 24 hours; messages over the limit fail. It is usually the number's quality rating: see /whatsapp.
wa-limit-raised-title = 📈 Messaging limit raised
wa-limit-raised = Meta raised the WhatsApp messaging limit from **{ $from }** to **{ $to }** ({ $tiers }): the chatbot can start conversations with more customers a day.
wa-template-paused-title = ⏸️ Template paused: { $name }
wa-template-disabled-title = ⛔ Template disabled: { $name }
wa-template-rejected-title = ❌ Template rejected: { $name }
wa-template-stopped = The template { $name } went from { $from } to **{ $status }**.
wa-template-reason = Reason: { $reason }
wa-template-paused-impact = While it is paused the chatbot cannot send it and the messages that use it fail. Meta pauses a template for 3 h the first time and 6 h the second; the third time it disables it.
wa-template-disabled-impact = The chatbot can no longer send it: the messages that use it fail until another template is approved in its place.
wa-template-rejected-impact = The chatbot cannot send it: fix it as the reason says and submit it for review again.
wa-template-resumed-title = ▶️ Template back: { $name }
wa-template-resumed = The template { $name } is approved again (APPROVED): the chatbot can send it again.
wa-template-quality-title = ⚠️ Low quality on template { $name }
wa-template-quality-dropped = The quality of the template { $name } dropped to **RED** (before: { $from }).
wa-template-quality-impact = Meta may pause or disable it soon: review its content and who it is sent to.
wa-card-title = 📱 WhatsApp health
wa-card-footer = pulso · latest stored readings; /whatsapp does not call Gupshup
wa-card-all-fine = ✅ All fine according to the latest readings.
wa-card-nothing-read = No readings yet: the monitor polls Gupshup periodically.
wa-card-self-serve = ℹ️ With the self-serve API key Gupshup offers only the templates; app health, the account and the quality rating need `gupshup.mode = "partner"`.
wa-field-needs-partner = Needs partner mode
wa-needs-partner = needs partner mode
wa-needs-app-id = needs `gupshup.app_id` (the template list is read per app)
wa-not-read = Not read yet
wa-read-at = read { $at }
wa-called-at = last checked { $at }
wa-last-check-failed = ⚠️ Last check failed at { $at }: { $error }
wa-app-healthy = ✅ **Healthy**
wa-app-not-healthy = ⚠️ **Not healthy**
wa-can-send = Can send: **{ $value }**
wa-account-status = account { $status }
wa-number-status = number { $status }
wa-quality-line = Quality: **{ $quality }**
wa-limit-line = Limit: { $limit }
wa-event-line = Last event: { $event }
wa-templates-none = No templates
wa-templates-count = { $status ->
    [APPROVED] { $shown } approved
    [PENDING] { $shown } pending
    [PAUSED] { $shown } paused
    [DISABLED] { $shown } disabled
    [REJECTED] { $shown } rejected
   *[other] { $count ->
       *[other] { $shown } { $status }
    }
}
wa-count-red-quality = { $count ->
    [one] { $shown } approved with RED quality
   *[other] { $shown } approved with RED quality
}
wa-templates-not-sendable = Cannot be sent:
wa-digest-line = ⚠️ WhatsApp: { $problems }
wa-digest-templates = { $status ->
    [PAUSED] { $count ->
        [one] { $shown } template paused
       *[other] { $shown } templates paused
    }
    [DISABLED] { $count ->
        [one] { $shown } template disabled
       *[other] { $shown } templates disabled
    }
   *[other] { $count ->
        [one] { $shown } template rejected
       *[other] { $shown } templates rejected
    }
}
wa-digest-quality = quality { $quality }
wa-digest-account = account { $status }
wa-digest-app = app not healthy
wa-rules-heading = **WhatsApp health**
wa-rules-templates = tells when a template changes status
wa-value-healthy = healthy
wa-value-unhealthy = not healthy
wa-value-can-send = can send
wa-value-cannot-send = cannot send normally

# slash options for breakdowns and filters
opt-operator = Only these operators, comma-separated (suggested as you type)
opt-origin = Only these origins, comma-separated (suggested as you type)
opt-channel = Only these channels, comma-separated (suggested as you type)
opt-by = Split the indicators by operator, origin or channel
opt-top = Rows to show with by, 1 to 25 (default 10; the rest as others)
opt-operator-name = operator
opt-origin-name = origin
opt-channel-name = channel
opt-by-name = by
opt-top-name = top
choice-by-operator = Operator
choice-by-origin = Origin
choice-by-channel = Channel
expected-filter-values = list 1 to 25 values separated by commas, each at most 100 characters
expected-top = use a whole number from 1 to 25
expected-top-with-by = it only applies together with `by`
expected-dimension = use operator, origin or channel
digest-breakdown-title = Top 5 by { $dimension }
