# pulso — Brazilian Portuguese. Same keys and variables as es.ftl.

## Locale data: the config code, Fluent's language tag (plural rules), the Discord
## locales that get these texts, and the number separators.
locale-code = pt
locale-langid = pt-BR
locale-discord = pt-BR
number-thousands = .
number-decimal = ,

## Dates: CLDR's pt-BR medium style, `23 de nov. de 2026`; `23 nov.` on the chart's axis.
month-short = { $month ->
    [1] jan.
    [2] fev.
    [3] mar.
    [4] abr.
    [5] mai.
    [6] jun.
    [7] jul.
    [8] ago.
    [9] set.
    [10] out.
    [11] nov.
   *[12] dez.
}
date-full = { $day } de { $month } de { $year }
date-day = { $day } { $month }

## Counted nouns: $count picks the plural form, $shown is the formatted number.
count-days = { $count ->
    [one] { $shown } dia
   *[other] { $shown } dias
}
count-responses = { $shown } resp.
count-minutes = { $shown } min
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
duration-days = { $days } d { $hours } h

## Indicator labels.
label-nps = Pontuação NPS
label-csat = Pontuação CSAT
label-pending = Consultas pendentes
label-in-progress = Consultas em andamento
label-resolved = Consultas resolvidas
label-expired = Consultas expiradas
label-avg-attention = Média de atendimento
label-avg-resolution = Média de resolução
label-avg-attention-resolution = Média de atendimento + resolução
label-expired-rate = Taxa de expiração
label-oldest-pending = Pendente mais antiga
label-current = Atual
label-previous = Anterior
label-change = Variação
label-no-data = sem dados
label-median = mediana
label-now = agora
label-waiting = aguardando
label-none = nenhuma
label-period = Período
label-indicators-title = Indicadores de atendimento
label-view-details = Ver detalhes
label-status-pending = Pendentes
label-status-in-progress = Em andamento
label-status-resolved = Resolvidas
label-status-expired = Expiradas
label-oldest-ten = As mais antigas
label-total = Total
label-versus = vs. período anterior

## Detalhamentos e filtros: /indicators por operador, origem ou canal.
dimension-operator = operador
dimension-origin = origem
dimension-channel = canal
filter-line = Filtro: { $restrictions }
breakdown-title = Indicadores por { $dimension } · { $period }
breakdown-unassigned = sem atribuição
breakdown-others = outros ({ $count })
breakdown-shown = Mostrando { $shown } de { $total } grupos; todos estão no CSV anexo.
breakdown-empty = Nenhuma consulta neste período.
breakdown-volume = Volume
breakdown-times = Tempos (min)
breakdown-scores = Pesquisas
breakdown-col-operator = Operador
breakdown-col-origin = Origem
breakdown-col-channel = Canal
breakdown-col-resolved = Resolvidas
breakdown-col-expired = Expiradas
breakdown-col-pending = Pendentes
breakdown-col-in-progress = Em andamento
breakdown-col-attention = Atendimento (med)
breakdown-col-resolution = Resolução (med)
breakdown-col-nps = NPS (resp)
breakdown-col-csat = CSAT (resp)
breakdown-sorted = ordenado por { $order }
sort-resolved = resolvidas, mais primeiro
sort-expired = expiradas, mais primeiro
sort-attention = atendimento, mais lento primeiro
sort-resolution = resolução, mais lenta primeiro
sort-csat = CSAT, mais baixo primeiro
sort-nps = NPS, mais baixo primeiro

## Digest and chart.
digest-daily = Resumo diário
digest-weekly = Resumo semanal
digest-late = ⏰ Publicado com atraso: estava programado para as { $time }.
chart-count-axis = Consultas por dia
chart-attention = { label-avg-attention } (min)

## Gupshup balance and alerts.
gupshup-balance = Saldo do Gupshup
not-gupshup = ℹ️ O espaço de trabalho { $workspace } não usa o Gupshup como provedor de WhatsApp: não há saldo nem saúde do WhatsApp para mostrar.
level-ok = normal
level-low = saldo baixo
level-critical = crítico
balance-amount = Saldo
balance-read-at = Lido em
balance-threshold = Limite
balance-state = Status
balance-other-currency = A moeda é { $currency }: ela não é comparada com o limite de { $threshold } USD.
balance-no-reading = Ainda não há leituras do saldo: o monitor consulta o Gupshup periodicamente.
alerts-state = Status: **{ $level }**
alerts-state-since = Status: **{ $level }** (desde { $since })
alerts-failures = Leituras consecutivas com falha: { $failures }
alerts-muted-until = 🔇 Silenciados até { $until }
alerts-on = 🔔 Alertas ativos
alerts-muted = 🔇 Alertas de saldo silenciados.
alerts-unmuted = 🔔 Alertas de saldo reativados.
alert-needs = O chatbot precisa de saldo para funcionar: sem saldo, ele para de enviar mensagens de WhatsApp. Recarregue a carteira do Gupshup.
alert-low-title = Saldo do Gupshup baixo
alert-critical-title = Saldo do Gupshup crítico
alert-reminder-title = Lembrete: saldo do Gupshup ainda baixo
alert-resolved-title = Saldo do Gupshup recuperado
alert-unknown-title = Não foi possível ler o saldo do Gupshup
alert-resolved = O saldo voltou a **{ $balance }** (≥ { $limit }). Alerta resolvido.
alert-key-rejected = O Gupshup recusou a chave de API (API key rejected): verifique a variável de ambiente configurada.
alert-unknown = Três leituras seguidas falharam. { $why }
    Enquanto isso, não dá para saber se há saldo. { $needs }
alert-days-left = No ritmo de gasto dos últimos 7 dias, o saldo dura cerca de **{ $days }**.
alert-no-history = Ainda não há histórico suficiente para estimar os dias restantes.
alert-below = O saldo é de **{ $balance }**, abaixo de { $limit }. { $days }
    { $needs }
alert-days-left-field = Dias restantes (estim.)
alert-footer = pulso · /alerts mute para silenciar
alert-resolved-after = ✅ Saldo do Gupshup recuperado após { $lasted }
alerts-acked-by = ✅ Confirmado por { $by }: sem lembretes neste episódio
digest-queued = ✅ Resumo na fila; será publicado em <#{ $channel }> em menos de um minuto.
digest-queued-console = ✅ Resumo na fila; será impresso aqui em menos de um minuto.

## Problems a command reports.
error-unknown-command = Não conheço o comando /{ $command }.
error-no-workspace = Este servidor não está vinculado a nenhum espaço de trabalho do pulso. Um administrador precisa adicionar o id dele como `guild_id` na configuração.
error-missing-option = Falta a opção `{ $option }`.
error-bad-option = `{ $option }`: “{ $value }” não é válido; { $expected }.
expected-period = use today, yesterday, last-7-days, last-30-days, this-month ou last-month
expected-status = use pending, in_progress, resolved ou expired
expected-date = escreva a data como AAAA-MM-DD
expected-duration = escreva como 30m, 2h ou 1d, no máximo 30d
error-period-and-dates = Use `período` ou `de` e `até`, não os dois.
error-half-range = Informe `de` e `até` juntos (datas AAAA-MM-DD).
error-from-after-to = A data inicial { $from } é posterior à final { $to }; inverta as duas.
error-too-long = O período abrange { $days }; o máximo é { $max }.
error-forbidden = Você precisa da permissão “Gerenciar servidor” para usar este comando.
error-no-digest-channel = Este espaço de trabalho não tem canal de resumo: um administrador precisa configurar `digest.channel_id`.
error-database = Não consegui ler o banco de dados de consultas. Tente novamente em alguns minutos; se continuar falhando, avise quem administra o pulso.
error-slow = O banco de dados está demorando demais para responder. Tente novamente em alguns minutos.
error-unknown-option = /{ $command } não tem a opção `{ $option }`. Opções: { $known }.
error-unknown-option-near = /{ $command } não tem a opção `{ $option }`; você quis dizer `{ $suggestion }`? Opções: { $known }.
error-no-options = /{ $command } não tem opções (recebi `{ $option }`).
error-duplicate-option = A opção `{ $option }` aparece mais de uma vez; informe-a uma só vez.
error-unknown-subcommand = /{ $command } não tem o subcomando `{ $subcommand }`. Subcomandos: { $known }.
error-unknown-subcommand-near = /{ $command } não tem o subcomando `{ $subcommand }`; você quis dizer `{ $suggestion }`? Subcomandos: { $known }.
error-missing-subcommand = /{ $command } precisa de um subcomando: { $known }.
error-internal = ⚠️ O pulso teve um erro interno.

## Slash commands as Discord shows them: names, descriptions, choices.
help-heading = Comandos:
cmd-indicators-name = indicadores
cmd-indicators = Indicadores de atendimento ao cliente de um período
cmd-inquiries-name = consultas
cmd-inquiries = Consultas de um status, com as que esperam há mais tempo
cmd-digest-name = resumo
cmd-digest = O resumo diário, agora
cmd-balance-name = saldo
cmd-balance = O saldo da carteira do Gupshup
cmd-alerts-name = alertas
cmd-alerts = Alertas de saldo do Gupshup
sub-digest-preview = Mostrar o resumo só para você
sub-digest-send = Publicar o resumo no canal configurado agora (Gerenciar servidor)
sub-alerts-mute = Silenciar alertas por um tempo: uma regra, ou o saldo e todas as regras (Gerenciar servidor)
sub-alerts-unmute = Reativar alertas: uma regra, ou o saldo e todas as regras (Gerenciar servidor)
sub-alerts-status = Status dos alertas: saldo, regras, silenciamentos e confirmações
opt-period = Período (padrão: hoje)
opt-from = Primeiro dia, AAAA-MM-DD (com até)
opt-to = Último dia, AAAA-MM-DD (com de)
opt-status = Quais consultas
opt-duration = Por quanto tempo, ex.: 2h, 1d (padrão 24h, no máximo 30d)
choice-today = Hoje
choice-yesterday = Ontem
choice-last-7-days = Últimos 7 dias
choice-last-30-days = Últimos 30 dias
choice-this-month = Este mês
choice-last-month = Mês passado

# Regras de alerta (fila, SLA, expirações)
count-inquiries = { $count ->
    [one] { $shown } consulta
   *[other] { $shown } consultas
}
rule-title-firing = ⚠️ { $name }
rule-title-critical = 🔴 { $name } · crítico
rule-title-reminder = ⏰ { $name } · ainda ativo
rule-title-resolved = ✅ { $name } · resolvido
rule-title-unknown = ❔ { $name } · não foi possível avaliar
rule-queue-waiting = Esperando há mais de { $over }: **{ $value }** (alerta a partir de { $threshold }).
rule-oldest-pending = A consulta pendente mais antiga espera há **{ $value }** (alerta a partir de { $threshold }).
rule-attention-sla = Atendidas em até { $target } na última janela de { $window }: **{ $value }** (alerta abaixo de { $threshold }).
rule-expired-spike = Expiradas na última janela de { $window }: **{ $value }** (alerta a partir de { $threshold }).
rule-since = Desde as { $since }.
rule-resolved = Resolvido após { $lasted }; agora { $value }.
rule-unknown = O banco de dados de consultas não respondeu em três avaliações seguidas. A regra mantém seu estado e tenta de novo a cada ciclo.
rule-footer = pulso · regra de alerta { $rule }

# A regra low_survey (respostas de pesquisa baixas)
count-answers-reported = { $count ->
    [one] { $shown } resposta informada
   *[other] { $shown } respostas informadas
}
survey-title = 🙁 { $name } · { $count ->
    [one] { $shown } resposta baixa
   *[other] { $shown } respostas baixas
}
survey-intro = NPS { $nps } ou menos e CSAT { $csat } ou menos:
survey-inquiry = consulta { $id }
survey-no-inquiry = sem consulta
survey-operator = operador { $operator }
survey-more = { $count ->
    [one] …e mais { $shown } resposta.
   *[other] …e mais { $shown } respostas.
}
alerts-survey-last = último aviso { $at }
alerts-survey-never = nenhum aviso ainda

# /alerts para as regras de alerta
sub-alerts-ack = Confirmar uma regra ativa: sem mais lembretes neste episódio (Gerenciar servidor)
sub-alerts-snooze = Silenciar uma regra por um tempo (Gerenciar servidor)
opt-rule = O nome da regra, como /alerts status mostra
opt-snooze-duration = Por quanto tempo, ex.: 1h, 4h (padrão 1h, no máximo 30d)
alerts-rules-heading = **Regras de alerta**
rule-level-ok = ok
rule-level-firing = ativo
rule-level-critical = crítico
alerts-rule-since = desde { $since }
alerts-rule-acked = confirmado por { $by }
alerts-rule-snoozed = 🔇 até { $until }
alerts-rule-disabled = desativada
alerts-rule-no-value = ainda sem valor
alerts-none = Este espaço de trabalho não tem alertas: nem saldo do Gupshup nem regras `[[workspaces.alerts]]`.
alerts-unknown-rule = Não existe regra de alerta chamada `{ $rule }`. Regras: { $known }.
alerts-acked = ✅ { $rule } confirmado por { $by }: sem mais lembretes neste episódio.
alerts-not-firing = { $rule } não está ativo: não há nada para confirmar.
alerts-rule-snoozed-until = 🔇 { $rule } silenciado até { $until }; seu estado continua sendo avaliado.
alerts-rule-unsnoozed = 🔔 { $rule } voltou a avisar.
alerts-rules-snoozed-until = 🔇 Todas as regras de alerta silenciadas até { $until }.
alerts-rules-unsnoozed = 🔔 Todas as regras de alerta voltaram a avisar.
button-acknowledge = ✅ Confirmar
button-snooze-1h = 🔇 Silenciar 1 h
button-snooze-4h = 🔇 Silenciar 4 h
pressed-acknowledged = ✅ Confirmado por { $by } às { $at }.
pressed-snoozed = 🔇 Silenciado por { $by } até { $until }.
pressed-old-episode = Este botão é de um episódio que já terminou.
pressed-unknown = O pulso não conhece este botão.
rule-title-resolved-after = ✅ { $name } · resolvido após { $lasted }
error-direct-message = O pulso responde no servidor cujo espaço de trabalho ele acompanha, não em mensagens diretas: use o comando nesse servidor.
error-missing-admin-role = Você precisa da permissão “Gerenciar servidor” ou de um destes cargos: { $roles }.
error-missing-viewer-role = Só membros com um destes cargos podem ver o pulso aqui: { $roles }.

# Nomes de opções e subcomandos como o Discord os mostra (as interações trazem os ingleses).
opt-period-name = período
opt-from-name = de
opt-to-name = até
opt-status-name = situação
opt-duration-name = duração
opt-rule-name = regra
sub-digest-preview-name = prévia
sub-digest-send-name = enviar
sub-alerts-status-name = situação
sub-alerts-mute-name = silenciar
sub-alerts-unmute-name = reativar
sub-alerts-ack-name = confirmar
sub-alerts-snooze-name = adiar

# /inquiries: a fila agora, ou um período
inquiries-live = Agora, da mais antiga à mais recente: uma fila não tem período
opt-inquiries-period = Período para resolvidas, expiradas ou pendentes (padrão: hoje; pendentes: a fila agora)
inquiries-in-period = Solicitadas em { $period }

# A carteira de demo (gupshup.mode = "demo")
gupshup-balance-demo = Saldo do Gupshup (demo)
label-demo = demo
balance-demo-note = 🧪 Demo: carteira simulada pelo pulso. Nenhuma conta do Gupshup é consultada e nada é cobrado.

# Saúde do WhatsApp no Gupshup (saúde do app, conta, qualidade, modelos)
cmd-whatsapp-name = whatsapp
cmd-whatsapp = Saúde do WhatsApp no Gupshup: app, conta, qualidade, limite e modelos
wa-signal-app-health = Saúde do app do Gupshup
wa-signal-account = Conta do WhatsApp
wa-signal-quality = Qualidade e limite de mensagens
wa-signal-templates = Modelos de mensagem
wa-what-app-health = a saúde do app
wa-what-account = o status da conta do WhatsApp
wa-what-quality = a qualidade do número e o limite de mensagens
wa-what-templates = os modelos de mensagem
wa-quality-word = { $quality ->
    [GREEN] alta
    [YELLOW] média
    [RED] baixa
   *[other] sem classificação
}
wa-tier-unlimited = ilimitado
wa-users-per-day = { $count ->
    [one] { $shown } usuário por dia
   *[other] { $shown } usuários por dia
}
wa-demo-note = 🧪 Demo: sinais simulados pelo pulso; nenhuma conta do Gupshup é consultada.
wa-and-more = …e mais { $shown }.
wa-app-unhealthy = O Gupshup informa que o app não está saudável.
wa-app-unhealthy-reason = O Gupshup informa que o app não está saudável: "{ $reason }".
wa-app-impact = Enquanto isso, o chatbot pode parar de enviar e receber mensagens do WhatsApp. Verifique o app no painel do Gupshup.
wa-app-fine = O Gupshup voltou a informar o app como saudável.
wa-account-problem = A conta do WhatsApp não consegue enviar mensagens normalmente.
wa-account-problems = A conta do WhatsApp não consegue enviar mensagens normalmente: **{ $problems }**.
wa-gupshup-says = Segundo o Gupshup:
wa-account-impact = Com o número bloqueado ou restrito, o chatbot para de enviar mensagens do WhatsApp (ou alcança menos clientes). Verifique o número no WhatsApp Manager da Meta ou no painel do Gupshup.
wa-account-fine = A conta do WhatsApp voltou a enviar mensagens normalmente.
wa-quality-is = A qualidade do número é **{ $quality }**; limite de mensagens: { $limit }.
wa-quality-low = A qualidade do número caiu.
wa-limit-unknown = sem dado
wa-quality-impact-yellow = Se a qualidade continuar caindo, a Meta pode reduzir o limite diário de mensagens e o chatbot vai alcançar menos clientes.
wa-quality-impact-red = Com qualidade baixa a Meta pode reduzir o limite de mensagens ou restringir o número. Veja quais modelos ou mensagens levam os clientes a bloquear ou denunciar o número.
wa-quality-fine = A qualidade do número voltou ao normal.
wa-quality-fine-is = A qualidade do número voltou a **{ $quality }**; limite de mensagens: { $limit }.
wa-templates-problem = Há modelos que não podem ser enviados: veja /whatsapp.
wa-templates-fine = Os modelos voltaram ao normal.
wa-lasted = O problema durou { $lasted }.
wa-unknown = O pulso não consegue ler { $what } no Gupshup.
wa-key-rejected = O Gupshup recusou a chave de API ou o token (API key/token rejected): verifique a variável de ambiente configurada e se o token ainda é válido.
wa-error = Erro: { $error }
wa-unknown-keeps = A regra mantém seu estado e tenta de novo a cada consulta; enquanto isso não se sabe se há um problema.
wa-field-number = Número
wa-field-language = Idioma
wa-field-category = Categoria
wa-field-status = Status
wa-field-quality = Qualidade
wa-limit-lowered-title = 📉 Limite de mensagens reduzido
wa-limit-lowered = A Meta reduziu o limite de mensagens do WhatsApp de **{ $from }** para **{ $to }** ({ $tiers }).
wa-limit-lowered-impact = O chatbot só pode iniciar conversas com essa quantidade de clientes diferentes a cada 24 horas; os envios acima do limite falham. Costuma ser pela qualidade do número: veja /whatsapp.
wa-limit-raised-title = 📈 Limite de mensagens ampliado
wa-limit-raised = A Meta aumentou o limite de mensagens do WhatsApp de **{ $from }** para **{ $to }** ({ $tiers }): o chatbot pode iniciar conversas com mais clientes por dia.
wa-template-paused-title = ⏸️ Modelo pausado: { $name }
wa-template-disabled-title = ⛔ Modelo desativado: { $name }
wa-template-rejected-title = ❌ Modelo rejeitado: { $name }
wa-template-stopped = O modelo { $name } passou de { $from } para **{ $status }**.
wa-template-reason = Motivo: { $reason }
wa-template-paused-impact = Enquanto estiver pausado o chatbot não pode enviá-lo e as mensagens que o usam falham. A Meta pausa o modelo por 3 h na primeira vez e 6 h na segunda; na terceira, desativa.
wa-template-disabled-impact = O chatbot não pode mais enviá-lo: as mensagens que o usam falham até que outro modelo seja aprovado no lugar dele.
wa-template-rejected-impact = O chatbot não pode enviá-lo: corrija-o conforme o motivo e envie-o de novo para análise.
wa-template-resumed-title = ▶️ Modelo reativado: { $name }
wa-template-resumed = O modelo { $name } voltou a ser aprovado (APPROVED): o chatbot pode enviá-lo de novo.
wa-template-quality-title = ⚠️ Qualidade baixa no modelo { $name }
wa-template-quality-dropped = A qualidade do modelo { $name } caiu para **RED** (antes: { $from }).
wa-template-quality-impact = A Meta pode pausá-lo ou desativá-lo em breve: revise o conteúdo e para quem ele é enviado.
wa-card-title = 📱 Saúde do WhatsApp
wa-card-footer = pulso · últimas leituras salvas; /whatsapp não consulta o Gupshup
wa-card-all-fine = ✅ Tudo certo segundo as últimas leituras.
wa-card-nothing-read = Ainda não há leituras: o monitor consulta o Gupshup periodicamente.
wa-card-self-serve = ℹ️ Com a chave de API self-serve o Gupshup oferece só os modelos; a saúde do app, a conta e a qualidade precisam de `gupshup.mode = "partner"`.
wa-field-needs-partner = Precisa do modo partner
wa-needs-partner = precisa do modo partner
wa-needs-app-id = precisa de `gupshup.app_id` (a lista de modelos é lida por app)
wa-not-read = Ainda não lido
wa-read-at = lido { $at }
wa-called-at = última consulta { $at }
wa-last-check-failed = ⚠️ A última consulta falhou ({ $at }): { $error }
wa-app-healthy = ✅ **Saudável**
wa-app-not-healthy = ⚠️ **Não está saudável**
wa-can-send = Pode enviar: **{ $value }**
wa-account-status = conta { $status }
wa-number-status = número { $status }
wa-quality-line = Qualidade: **{ $quality }**
wa-limit-line = Limite: { $limit }
wa-event-line = Último evento: { $event }
wa-templates-none = Nenhum modelo
wa-templates-count = { $status ->
    [APPROVED] { $count ->
        [one] { $shown } aprovado
       *[other] { $shown } aprovados
    }
    [PENDING] { $count ->
        [one] { $shown } pendente
       *[other] { $shown } pendentes
    }
    [PAUSED] { $count ->
        [one] { $shown } pausado
       *[other] { $shown } pausados
    }
    [DISABLED] { $count ->
        [one] { $shown } desativado
       *[other] { $shown } desativados
    }
    [REJECTED] { $count ->
        [one] { $shown } rejeitado
       *[other] { $shown } rejeitados
    }
   *[other] { $shown } { $status }
}
wa-count-red-quality = { $count ->
    [one] { $shown } aprovado com qualidade RED
   *[other] { $shown } aprovados com qualidade RED
}
wa-templates-not-sendable = Não podem ser enviados:
wa-digest-line = ⚠️ WhatsApp: { $problems }
wa-digest-templates = { $status ->
    [PAUSED] { $count ->
        [one] { $shown } modelo pausado
       *[other] { $shown } modelos pausados
    }
    [DISABLED] { $count ->
        [one] { $shown } modelo desativado
       *[other] { $shown } modelos desativados
    }
   *[other] { $count ->
        [one] { $shown } modelo rejeitado
       *[other] { $shown } modelos rejeitados
    }
}
wa-digest-quality = qualidade { $quality }
wa-digest-account = conta { $status }
wa-digest-app = app não está saudável
wa-rules-heading = **Saúde do WhatsApp**
wa-rules-templates = avisa quando um modelo muda de status
wa-value-healthy = saudável
wa-value-unhealthy = não saudável
wa-value-can-send = pode enviar
wa-value-cannot-send = não consegue enviar normalmente

# slash options for breakdowns and filters
opt-operator = Só estes operadores, separados por vírgulas (sugeridos ao digitar)
opt-origin = Só estas origens, separadas por vírgulas (sugeridas ao digitar)
opt-channel = Só estes canais, separados por vírgulas (sugeridos ao digitar)
opt-by = Divide os indicadores por operador, origem ou canal
opt-top = Linhas a mostrar com divisão, de 1 a 25 (padrão 10; o resto como outros)
opt-operator-name = operador
opt-origin-name = origem
opt-channel-name = canal
opt-by-name = divisão
opt-top-name = primeiros
choice-by-operator = Operador
choice-by-origin = Origem
choice-by-channel = Canal
expected-filter-values = informe de 1 a 25 valores separados por vírgulas, cada um com até 100 caracteres
expected-top = use um número inteiro de 1 a 25
expected-top-with-by = só vale junto com `divisão`
expected-dimension = use operator, origin ou channel
digest-breakdown-title = Os 5 primeiros por { $dimension }
