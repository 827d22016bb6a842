# pulso — Spanish (the seed's first language). Every user-facing text lives here; the
# same keys, with the same variables, exist in en.ftl and pt.ftl (a unit test checks it).

## Locale data: the config code, Fluent's language tag (plural rules), the Discord
## locales that get these texts, and the number separators.
locale-code = es
locale-langid = es
locale-discord = es-ES es-419
number-thousands = .
number-decimal = ,

## Dates: `23 nov 2026`, and `23 nov` on the chart's axis.
month-short = { $month ->
    [1] ene
    [2] feb
    [3] mar
    [4] abr
    [5] may
    [6] jun
    [7] jul
    [8] ago
    [9] sep
    [10] oct
    [11] nov
   *[12] dic
}
date-full = { $day } { $month } { $year }
date-day = { $day } { $month }

## Counted nouns: $count picks the plural form, $shown is the formatted number.
count-days = { $count ->
    [one] { $shown } día
   *[other] { $shown } días
}
count-responses = { $shown } resp.
count-minutes = { $shown } min
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days } d { $hours } h

## Indicator labels (the seed's wording).
label-nps = Puntaje NPS
label-csat = Puntaje CSAT
label-pending = Consultas pendientes
label-in-progress = Consultas en progreso
label-resolved = Consultas resueltas
label-expired = Consultas expiradas
label-avg-attention = Promedio de atención
label-avg-resolution = Promedio de resolución
label-avg-attention-resolution = Promedio de atención + resolución
label-expired-rate = Tasa de expiración
label-oldest-pending = Pendiente más antigua
label-current = Actual
label-previous = Anterior
label-change = Cambio
label-no-data = sin datos
label-median = mediana
label-now = ahora
label-waiting = esperando
label-none = ninguna
label-period = Período
label-indicators-title = Indicadores de atención
label-view-details = Ver detalles
label-status-pending = Pendientes
label-status-in-progress = En progreso
label-status-resolved = Resueltas
label-status-expired = Expiradas
label-oldest-ten = Las más antiguas
label-total = Total
label-versus = vs. período anterior

## Desgloses y filtros: /indicators por operador, origen o canal.
dimension-operator = operador
dimension-origin = origen
dimension-channel = canal
filter-line = Filtro: { $restrictions }
breakdown-title = Indicadores por { $dimension } · { $period }
breakdown-unassigned = sin asignar
breakdown-others = otros ({ $count })
breakdown-shown = Se muestran { $shown } de { $total } grupos; todos están en el CSV adjunto.
breakdown-empty = No hay consultas en este período.
breakdown-volume = Volumen
breakdown-times = Tiempos (min)
breakdown-scores = Encuestas
breakdown-col-operator = Operador
breakdown-col-origin = Origen
breakdown-col-channel = Canal
breakdown-col-resolved = Resueltas
breakdown-col-expired = Expiradas
breakdown-col-pending = Pendientes
breakdown-col-in-progress = En progreso
breakdown-col-attention = Atención (med)
breakdown-col-resolution = Resolución (med)
breakdown-col-nps = NPS (resp)
breakdown-col-csat = CSAT (resp)
breakdown-sorted = ordenado por { $order }
sort-resolved = resueltas, más primero
sort-expired = expiradas, más primero
sort-attention = atención, más lenta primero
sort-resolution = resolución, más lenta primero
sort-csat = CSAT, más bajo primero
sort-nps = NPS, más bajo primero

## Digest and chart.
digest-daily = Resumen diario
digest-weekly = Resumen semanal
digest-late = ⏰ Publicado con retraso: estaba programado para las { $time }.
chart-count-axis = Consultas por día
chart-attention = { label-avg-attention } (min)

## Gupshup balance and alerts.
gupshup-balance = Saldo de Gupshup
not-gupshup = ℹ️ El espacio de trabajo { $workspace } no usa Gupshup como proveedor de WhatsApp: no hay saldo ni salud de WhatsApp que mostrar.
level-ok = normal
level-low = saldo bajo
level-critical = crítico
balance-amount = Saldo
balance-read-at = Leído
balance-threshold = Umbral
balance-state = Estado
balance-other-currency = La moneda es { $currency }: no se compara con el umbral de { $threshold } USD.
balance-no-reading = Todavía no hay lecturas del saldo: el monitor consulta Gupshup periódicamente.
alerts-state = Estado: **{ $level }**
alerts-state-since = Estado: **{ $level }** (desde { $since })
alerts-failures = Lecturas fallidas seguidas: { $failures }
alerts-muted-until = 🔇 Silenciadas hasta { $until }
alerts-on = 🔔 Alertas activas
alerts-muted = 🔇 Alertas de saldo silenciadas.
alerts-unmuted = 🔔 Alertas de saldo reactivadas.
alert-needs = El chatbot necesita saldo para funcionar: sin saldo deja de enviar mensajes de WhatsApp. Recarga la billetera de Gupshup.
alert-low-title = Saldo de Gupshup bajo
alert-critical-title = Saldo de Gupshup crítico
alert-reminder-title = Recordatorio: saldo de Gupshup bajo
alert-resolved-title = Saldo de Gupshup recuperado
alert-unknown-title = No se puede leer el saldo de Gupshup
alert-resolved = El saldo volvió a **{ $balance }** (≥ { $limit }). Alerta resuelta.
alert-key-rejected = Gupshup rechazó la clave de API (API key rejected): revisa la variable de entorno configurada.
alert-unknown = Tres lecturas seguidas fallaron. { $why }
    Mientras tanto no se sabe si hay saldo. { $needs }
alert-days-left = Al ritmo de gasto de los últimos 7 días alcanza para unos **{ $days }**.
alert-no-history = Aún no hay historial suficiente para estimar los días restantes.
alert-below = El saldo es **{ $balance }**, por debajo de { $limit }. { $days }
    { $needs }
alert-days-left-field = Días restantes (estim.)
alert-footer = pulso · /alerts mute para silenciar
alert-resolved-after = ✅ Saldo de Gupshup recuperado tras { $lasted }
alerts-acked-by = ✅ Confirmada por { $by }: sin recordatorios en este episodio
digest-queued = ✅ Resumen en cola; se publicará en <#{ $channel }> en menos de un minuto.
digest-queued-console = ✅ Resumen en cola; se imprimirá aquí en menos de un minuto.

## Problems a command reports.
error-unknown-command = No conozco el comando /{ $command }.
error-no-workspace = Este servidor no está vinculado a ningún espacio de trabajo de pulso. Un administrador debe agregar su id como `guild_id` en la configuración.
error-missing-option = Falta la opción `{ $option }`.
error-bad-option = `{ $option }`: «{ $value }» no es válido; { $expected }.
expected-period = usa today, yesterday, last-7-days, last-30-days, this-month o last-month
expected-status = usa pending, in_progress, resolved o expired
expected-date = escribe la fecha como AAAA-MM-DD
expected-duration = escríbela como 30m, 2h o 1d, máximo 30d
error-period-and-dates = Usa `periodo` o `desde` y `hasta`, no ambos.
error-half-range = Indica `desde` y `hasta` juntos (fechas AAAA-MM-DD).
error-from-after-to = La fecha inicial { $from } es posterior a la final { $to }; inviértelas.
error-too-long = El período abarca { $days }; el máximo es { $max }.
error-forbidden = Necesitas el permiso «Gestionar servidor» para usar este comando.
error-no-digest-channel = Este espacio de trabajo no tiene canal de resumen: un administrador debe configurar `digest.channel_id`.
error-database = No pude leer la base de datos de consultas. Intenta de nuevo en unos minutos; si sigue fallando, avisa a quien administra pulso.
error-slow = La base de datos está tardando demasiado en responder. Intenta de nuevo en unos minutos.
error-unknown-option = /{ $command } no tiene la opción `{ $option }`. Opciones: { $known }.
error-unknown-option-near = /{ $command } no tiene la opción `{ $option }`; ¿quisiste decir `{ $suggestion }`? Opciones: { $known }.
error-no-options = /{ $command } no tiene opciones (recibí `{ $option }`).
error-duplicate-option = La opción `{ $option }` aparece más de una vez; indícala una sola vez.
error-unknown-subcommand = /{ $command } no tiene el subcomando `{ $subcommand }`. Subcomandos: { $known }.
error-unknown-subcommand-near = /{ $command } no tiene el subcomando `{ $subcommand }`; ¿quisiste decir `{ $suggestion }`? Subcomandos: { $known }.
error-missing-subcommand = /{ $command } necesita un subcomando: { $known }.
error-internal = ⚠️ pulso tuvo un error interno.

## Slash commands as Discord shows them: names, descriptions, choices.
help-heading = Comandos:
cmd-indicators-name = indicadores
cmd-indicators = Indicadores de atención al cliente de un período
cmd-inquiries-name = consultas
cmd-inquiries = Consultas de un estado, con las que más esperan
cmd-digest-name = resumen
cmd-digest = El resumen diario, ahora
cmd-balance-name = saldo
cmd-balance = El saldo de la billetera de Gupshup
cmd-alerts-name = alertas
cmd-alerts = Alertas de saldo de Gupshup
sub-digest-preview = Mostrar el resumen solo para ti
sub-digest-send = Publicar el resumen en su canal ahora (Gestionar servidor)
sub-alerts-mute = Silenciar alertas un tiempo: una regla, o el saldo y todas las reglas (Gestionar servidor)
sub-alerts-unmute = Reactivar alertas: una regla, o el saldo y todas las reglas (Gestionar servidor)
sub-alerts-status = Estado de las alertas: saldo, reglas, silencios y confirmaciones
opt-period = Período (por defecto: hoy)
opt-from = Primer día, AAAA-MM-DD (con hasta)
opt-to = Último día, AAAA-MM-DD (con desde)
opt-status = Qué consultas
opt-duration = Cuánto tiempo, p. ej. 2h, 1d (por defecto 24h, máximo 30d)
choice-today = Hoy
choice-yesterday = Ayer
choice-last-7-days = Últimos 7 días
choice-last-30-days = Últimos 30 días
choice-this-month = Este mes
choice-last-month = Mes pasado

# Reglas de alerta (cola, SLA, expiraciones)
count-inquiries = { $count ->
    [one] { $shown } consulta
   *[other] { $shown } consultas
}
rule-title-firing = ⚠️ { $name }
rule-title-critical = 🔴 { $name } · crítica
rule-title-reminder = ⏰ { $name } · sigue activa
rule-title-resolved = ✅ { $name } · resuelta
rule-title-unknown = ❔ { $name } · no se puede evaluar
rule-queue-waiting = Esperando más de { $over }: **{ $value }** (alerta desde { $threshold }).
rule-oldest-pending = La consulta pendiente más antigua lleva **{ $value }** esperando (alerta desde { $threshold }).
rule-attention-sla = Atendidas en menos de { $target } en la última ventana de { $window }: **{ $value }** (alerta bajo { $threshold }).
rule-expired-spike = Expiradas en la última ventana de { $window }: **{ $value }** (alerta desde { $threshold }).
rule-since = Desde las { $since }.
rule-resolved = Resuelta tras { $lasted }; ahora { $value }.
rule-unknown = La base de datos de consultas no respondió en tres evaluaciones seguidas. La regla conserva su estado y vuelve a intentarlo en cada ciclo.
rule-footer = pulso · regla de alerta { $rule }

# Regla low_survey (respuestas de encuesta bajas)
count-answers-reported = { $count ->
    [one] { $shown } respuesta informada
   *[other] { $shown } respuestas informadas
}
survey-title = 🙁 { $name } · { $count ->
    [one] { $shown } respuesta baja
   *[other] { $shown } respuestas bajas
}
survey-intro = NPS de { $nps } o menos y CSAT de { $csat } o menos:
survey-inquiry = consulta { $id }
survey-no-inquiry = sin consulta
survey-operator = operador { $operator }
survey-more = { $count ->
    [one] …y { $shown } respuesta más.
   *[other] …y { $shown } respuestas más.
}
alerts-survey-last = último aviso { $at }
alerts-survey-never = sin avisos aún

# /alerts para las reglas de alerta
sub-alerts-ack = Confirmar una regla activa: no más recordatorios en este episodio (Gestionar servidor)
sub-alerts-snooze = Silenciar una regla un tiempo (Gestionar servidor)
opt-rule = El nombre de la regla, como lo muestra /alerts status
opt-snooze-duration = Cuánto tiempo, p. ej. 1h, 4h (por defecto 1h, máximo 30d)
alerts-rules-heading = **Reglas de alerta**
rule-level-ok = ok
rule-level-firing = activa
rule-level-critical = crítica
alerts-rule-since = desde { $since }
alerts-rule-acked = confirmada por { $by }
alerts-rule-snoozed = 🔇 hasta { $until }
alerts-rule-disabled = desactivada
alerts-rule-no-value = sin valor aún
alerts-none = Este espacio de trabajo no tiene alertas: ni saldo de Gupshup ni reglas `[[workspaces.alerts]]`.
alerts-unknown-rule = No hay ninguna regla de alerta llamada `{ $rule }`. Reglas: { $known }.
alerts-acked = ✅ { $rule } confirmada por { $by }: no habrá más recordatorios en este episodio.
alerts-not-firing = { $rule } no está activa: no hay nada que confirmar.
alerts-rule-snoozed-until = 🔇 { $rule } silenciada hasta { $until }; su estado se sigue evaluando.
alerts-rule-unsnoozed = 🔔 { $rule } vuelve a avisar.
alerts-rules-snoozed-until = 🔇 Todas las reglas de alerta silenciadas hasta { $until }.
alerts-rules-unsnoozed = 🔔 Todas las reglas de alerta vuelven a avisar.
button-acknowledge = ✅ Confirmar
button-snooze-1h = 🔇 Silenciar 1 h
button-snooze-4h = 🔇 Silenciar 4 h
pressed-acknowledged = ✅ Confirmada por { $by } a las { $at }.
pressed-snoozed = 🔇 Silenciada por { $by } hasta las { $until }.
pressed-old-episode = Este botón es de un episodio que ya terminó.
pressed-unknown = pulso no conoce este botón.
rule-title-resolved-after = ✅ { $name } · resuelta tras { $lasted }
error-direct-message = pulso responde en el servidor cuyo espacio de trabajo vigila, no en mensajes directos: usa el comando en ese servidor.
error-missing-admin-role = Necesitas el permiso «Gestionar servidor» o uno de estos roles: { $roles }.
error-missing-viewer-role = Solo los miembros con uno de estos roles pueden ver pulso aquí: { $roles }.

# Nombres de opciones y subcomandos como los muestra Discord (las interacciones traen los ingleses).
opt-period-name = periodo
opt-from-name = desde
opt-to-name = hasta
opt-status-name = estado
opt-duration-name = duración
opt-rule-name = regla
sub-digest-preview-name = vista-previa
sub-digest-send-name = enviar
sub-alerts-status-name = estado
sub-alerts-mute-name = silenciar
sub-alerts-unmute-name = reactivar
sub-alerts-ack-name = confirmar
sub-alerts-snooze-name = posponer

# /inquiries: la cola ahora, o un período
inquiries-live = Ahora mismo, de la más antigua a la más reciente: una cola no tiene período
opt-inquiries-period = Período para resueltas, expiradas o pendientes (por defecto: hoy; pendientes: la cola ahora)
inquiries-in-period = Solicitadas en { $period }

# La billetera de demo (gupshup.mode = "demo")
gupshup-balance-demo = Saldo de Gupshup (demo)
label-demo = demo
balance-demo-note = 🧪 Demo: billetera simulada por pulso. No se consulta ninguna cuenta de Gupshup ni se cobra nada.

# Salud de WhatsApp en Gupshup (salud de la app, cuenta, calidad, plantillas)
cmd-whatsapp-name = whatsapp
cmd-whatsapp = Salud de WhatsApp en Gupshup: app, cuenta, calidad, límite y plantillas
wa-signal-app-health = Salud de la app de Gupshup
wa-signal-account = Cuenta de WhatsApp
wa-signal-quality = Calidad y límite de mensajes
wa-signal-templates = Plantillas
wa-what-app-health = la salud de la app
wa-what-account = el estado de la cuenta de WhatsApp
wa-what-quality = la calidad del número y su límite de mensajes
wa-what-templates = las plantillas
wa-quality-word = { $quality ->
    [GREEN] alta
    [YELLOW] media
    [RED] baja
   *[other] sin calificar
}
wa-tier-unlimited = ilimitado
wa-users-per-day = { $count ->
    [one] { $shown } usuario por día
   *[other] { $shown } usuarios por día
}
wa-demo-note = 🧪 Demo: señales simuladas por pulso; no se consulta ninguna cuenta de Gupshup.
wa-and-more = …y { $shown } más.
wa-app-unhealthy = Gupshup informa que la app no está sana.
wa-app-unhealthy-reason = Gupshup informa que la app no está sana: «{ $reason }».
wa-app-impact = Mientras tanto el chatbot puede dejar de enviar y recibir mensajes de WhatsApp. Revisa la app en el panel de Gupshup.
wa-app-fine = Gupshup vuelve a informar la app como sana.
wa-account-problem = La cuenta de WhatsApp no puede enviar mensajes con normalidad.
wa-account-problems = La cuenta de WhatsApp no puede enviar mensajes con normalidad: **{ $problems }**.
wa-gupshup-says = Según Gupshup:
wa-account-impact = Con el número bloqueado o restringido el chatbot deja de enviar mensajes de WhatsApp (o llega a menos clientes). Revisa el número en el WhatsApp Manager de Meta o en el panel de Gupshup.
wa-account-fine = La cuenta de WhatsApp vuelve a enviar mensajes con normalidad.
wa-quality-is = La calidad del número es **{ $quality }**; límite de mensajes: { $limit }.
wa-quality-low = La calidad del número bajó.
wa-limit-unknown = sin dato
wa-quality-impact-yellow = Si la calidad sigue bajando, Meta puede reducir el límite de mensajes diarios y el chatbot llegará a menos clientes.
wa-quality-impact-red = Con calidad baja Meta puede reducir el límite de mensajes o restringir el número. Revisa qué plantillas o mensajes provocan bloqueos y reportes de los clientes.
wa-quality-fine = La calidad del número volvió a la normalidad.
wa-quality-fine-is = La calidad del número volvió a **{ $quality }**; límite de mensajes: { $limit }.
wa-templates-problem = Hay plantillas que no se pueden enviar: revisa /whatsapp.
wa-templates-fine = Las plantillas vuelven a estar en orden.
wa-lasted = El problema duró { $lasted }.
wa-unknown = pulso no puede leer { $what } desde Gupshup.
wa-key-rejected = Gupshup rechazó la clave de API o el token (API key/token rejected): revisa la variable de entorno configurada y que el token siga vigente.
wa-error = Error: { $error }
wa-unknown-keeps = La regla conserva su estado y lo vuelve a intentar en cada consulta; mientras tanto no se sabe si hay un problema.
wa-field-number = Número
wa-field-language = Idioma
wa-field-category = Categoría
wa-field-status = Estado
wa-field-quality = Calidad
wa-limit-lowered-title = 📉 Límite de mensajes reducido
wa-limit-lowered = Meta bajó el límite de mensajes de WhatsApp de **{ $from }** a **{ $to }** ({ $tiers }).
wa-limit-lowered-impact = El chatbot solo puede iniciar conversaciones con esa cantidad de clientes distintos cada 24 horas; los envíos que la superen fallan. Suele deberse a la calidad del número: revisa /whatsapp.
wa-limit-raised-title = 📈 Límite de mensajes ampliado
wa-limit-raised = Meta subió el límite de mensajes de WhatsApp de **{ $from }** a **{ $to }** ({ $tiers }): el chatbot puede iniciar conversaciones con más clientes por día.
wa-template-paused-title = ⏸️ Plantilla pausada: { $name }
wa-template-disabled-title = ⛔ Plantilla desactivada: { $name }
wa-template-rejected-title = ❌ Plantilla rechazada: { $name }
wa-template-stopped = La plantilla { $name } pasó de { $from } a **{ $status }**.
wa-template-reason = Motivo: { $reason }
wa-template-paused-impact = Mientras esté pausada el chatbot no puede enviarla y los mensajes que la usan fallan. Meta la pausa 3 h la primera vez y 6 h la segunda; a la tercera la desactiva.
wa-template-disabled-impact = El chatbot ya no puede enviarla: los mensajes que la usan fallan hasta que se apruebe otra plantilla en su lugar.
wa-template-rejected-impact = El chatbot no puede enviarla: corrígela según el motivo y vuelve a enviarla a revisión.
wa-template-resumed-title = ▶️ Plantilla reactivada: { $name }
wa-template-resumed = La plantilla { $name } vuelve a estar aprobada (APPROVED): el chatbot puede enviarla otra vez.
wa-template-quality-title = ⚠️ Calidad baja en la plantilla { $name }
wa-template-quality-dropped = La calidad de la plantilla { $name } bajó a **RED** (antes: { $from }).
wa-template-quality-impact = Meta puede pausarla o desactivarla pronto: revisa su contenido y a quién se envía.
wa-card-title = 📱 Salud de WhatsApp
wa-card-footer = pulso · últimas lecturas guardadas; /whatsapp no consulta Gupshup
wa-card-all-fine = ✅ Todo en orden según las últimas lecturas.
wa-card-nothing-read = Todavía no hay lecturas: el monitor consulta Gupshup periódicamente.
wa-card-self-serve = ℹ️ Con la clave de API self-serve Gupshup solo ofrece las plantillas; la salud de la app, la cuenta y la calidad necesitan `gupshup.mode = "partner"`.
wa-field-needs-partner = Necesita el modo partner
wa-needs-partner = necesita el modo partner
wa-needs-app-id = necesita `gupshup.app_id` (la lista de plantillas se lee por app)
wa-not-read = Todavía no se leyó
wa-read-at = leído { $at }
wa-called-at = última consulta { $at }
wa-last-check-failed = ⚠️ La última consulta falló ({ $at }): { $error }
wa-app-healthy = ✅ **Sana**
wa-app-not-healthy = ⚠️ **No está sana**
wa-can-send = Puede enviar: **{ $value }**
wa-account-status = cuenta { $status }
wa-number-status = número { $status }
wa-quality-line = Calidad: **{ $quality }**
wa-limit-line = Límite: { $limit }
wa-event-line = Último evento: { $event }
wa-templates-none = Sin plantillas
wa-templates-count = { $status ->
    [APPROVED] { $count ->
        [one] { $shown } aprobada
       *[other] { $shown } aprobadas
    }
    [PENDING] { $count ->
        [one] { $shown } pendiente
       *[other] { $shown } pendientes
    }
    [PAUSED] { $count ->
        [one] { $shown } pausada
       *[other] { $shown } pausadas
    }
    [DISABLED] { $count ->
        [one] { $shown } desactivada
       *[other] { $shown } desactivadas
    }
    [REJECTED] { $count ->
        [one] { $shown } rechazada
       *[other] { $shown } rechazadas
    }
   *[other] { $shown } { $status }
}
wa-count-red-quality = { $count ->
    [one] { $shown } aprobada con calidad RED
   *[other] { $shown } aprobadas con calidad RED
}
wa-templates-not-sendable = No se pueden enviar:
wa-digest-line = ⚠️ WhatsApp: { $problems }
wa-digest-templates = { $status ->
    [PAUSED] { $count ->
        [one] { $shown } plantilla pausada
       *[other] { $shown } plantillas pausadas
    }
    [DISABLED] { $count ->
        [one] { $shown } plantilla desactivada
       *[other] { $shown } plantillas desactivadas
    }
   *[other] { $count ->
        [one] { $shown } plantilla rechazada
       *[other] { $shown } plantillas rechazadas
    }
}
wa-digest-quality = calidad { $quality }
wa-digest-account = cuenta { $status }
wa-digest-app = la app no está sana
wa-rules-heading = **Salud de WhatsApp**
wa-rules-templates = avisa cuando una plantilla cambia de estado
wa-value-healthy = sana
wa-value-unhealthy = no sana
wa-value-can-send = puede enviar
wa-value-cannot-send = no puede enviar con normalidad

# slash options for breakdowns and filters
opt-operator = Solo estos operadores, separados por comas (sugeridos al escribir)
opt-origin = Solo estos orígenes, separados por comas (sugeridos al escribir)
opt-channel = Solo estos canales, separados por comas (sugeridos al escribir)
opt-by = Desglosa los indicadores por operador, origen o canal
opt-top = Filas a mostrar con desglose, de 1 a 25 (por defecto 10; el resto como otros)
opt-operator-name = operador
opt-origin-name = origen
opt-channel-name = canal
opt-by-name = desglose
opt-top-name = primeros
choice-by-operator = Operador
choice-by-origin = Origen
choice-by-channel = Canal
expected-filter-values = indica de 1 a 25 valores separados por comas, cada uno de hasta 100 caracteres
expected-top = usa un número entero de 1 a 25
expected-top-with-by = solo se aplica junto con `desglose`
expected-dimension = usa operator, origin o channel
digest-breakdown-title = Los 5 primeros por { $dimension }
