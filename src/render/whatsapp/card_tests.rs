//! `/whatsapp`: stored readings only, failures next to the last good reading, modes that
//! do not offer a signal, and Discord's limits with hundreds of templates.

use super::super::super::reply::{MAX_EMBED_TOTAL, MAX_FIELD_VALUE};
use super::super::test_support::{
    all_fine, all_wrong, at, signal_mut, stored, template, without_gupshup, workspace,
};
use super::*;
use crate::config::GupshupMode;

fn balance(amount: f64) -> StoredReading {
    StoredReading {
        read_at: at(12, 5),
        amount: Some(amount),
        currency: Some("USD".into()),
        error: None,
    }
}

fn field(reply: &Reply, name: &str) -> String {
    let embed = reply.embed.as_ref().unwrap();
    let found = embed.fields.iter().find(|f| f.name == name);
    found
        .unwrap_or_else(|| panic!("no field {name} in {:?}", embed.fields))
        .value
        .clone()
}

#[test]
fn every_reading_with_when_it_was_read() {
    let ws = workspace(GupshupMode::Partner, Locale::Es);
    let card = whatsapp_card(&ws, &all_wrong(), Some(&balance(41.938)), at(15, 0));
    let embed = card.embed.as_ref().unwrap();
    assert_eq!(embed.title, "📱 Salud de WhatsApp · Soporte");
    assert_eq!(
        embed.description.as_deref(),
        Some(
            "⚠️ WhatsApp: 2 plantillas pausadas · 1 plantilla desactivada · calidad YELLOW · cuenta LIMITED · la app no está sana"
        )
    );
    assert_eq!(embed.color, Some(super::super::RED));
    assert_eq!(
        field(&card, "Salud de la app de Gupshup"),
        "⚠️ **No está sana**\n«App is not live.»\nleído 2026-11-05 09:00 -03"
    );
    assert_eq!(
        field(&card, "Cuenta de WhatsApp"),
        "⚠️ Puede enviar: **LIMITED**\ncuenta ACTIVE · número CONNECTED\nTienda\\_Sol · 917835039205\n\
         • Your display name has not been approved yet. Your message limit will increase after the display name is approved.\n\
         leído 2026-11-05 09:00 -03"
    );
    assert_eq!(
        field(&card, "Calidad y límite de mensajes"),
        "Calidad: **YELLOW (media)**\nLímite: **1.000 usuarios por día** (TIER_1K)\n\
         Último evento: UPGRADE (2026-11-05 06:00 -03)\núltima consulta 2026-11-05 06:30 -03"
    );
    assert_eq!(
        field(&card, "Plantillas"),
        "1 aprobada · 2 pausadas · 1 desactivada\nNo se pueden enviar:\n\
         • `order_update` (es) · PAUSED\n• `promo_nov` (es) · PAUSED\n• `old_promo` (es) · DISABLED\n\
         leído 2026-11-05 09:00 -03"
    );
    assert_eq!(
        field(&card, "Saldo de Gupshup"),
        "⚠️ **41,94 USD**\nleído 2026-11-05 09:05 -03"
    );
    assert_eq!(
        embed.footer.as_deref(),
        Some("pulso · últimas lecturas guardadas; /whatsapp no consulta Gupshup")
    );
}

#[test]
fn a_failed_check_shows_the_last_good_reading_and_the_failure() {
    let ws = workspace(GupshupMode::Partner, Locale::En);
    let mut signals = all_fine();
    // The ratings were called at 14:00 and failed; the reading is the 09:30 one.
    let quality = signal_mut(&mut signals, WhatsappSignal::Quality);
    quality.called_at = Some(at(17, 0));
    quality.error = Some((
        at(17, 0),
        "rate limited by Gupshup: Too Many Requests".into(),
    ));
    // The account's last call failed yesterday.
    let account = signal_mut(&mut signals, WhatsappSignal::Account);
    account.error = Some((
        at(17, 0) - chrono::Duration::days(1),
        "Gupshup server error (HTTP 500): x".into(),
    ));
    // Templates were never read.
    signals.retain(|s| s.signal != WhatsappSignal::Templates);
    let failed_balance = StoredReading {
        read_at: at(17, 1),
        amount: None,
        currency: None,
        error: Some("Gupshup did not answer within 10s".into()),
    };
    let card = whatsapp_card(&ws, &signals, Some(&failed_balance), at(18, 0));
    let quality = field(&card, "Quality and messaging limit");
    assert!(
        quality.ends_with(
            "Quality: **GREEN (high)**\nLimit: **1,000 users per day** (TIER_1K)\n\
             Last event: UPGRADE (2026-11-05 06:00 -03)\nlast checked 2026-11-05 14:00 -03\n\
             ⚠️ Last check failed at 14:00: rate limited by Gupshup: Too Many Requests"
        ),
        "{quality}"
    );
    let account = field(&card, "WhatsApp account");
    assert!(
        account.ends_with(
            "⚠️ Last check failed at 2026-11-04 14:00 -03: Gupshup server error (HTTP 500): x"
        ),
        "{account}"
    );
    assert_eq!(field(&card, "Templates"), "Not read yet");
    assert_eq!(
        field(&card, "Gupshup balance"),
        "⚠️ Last check failed at 14:01: Gupshup did not answer within 10s"
    );
    let embed = card.embed.as_ref().unwrap();
    assert_eq!(
        embed.description.as_deref(),
        Some("✅ All fine according to the latest readings.")
    );
    assert_eq!(
        embed.color,
        Some(super::super::ORANGE),
        "a failed check is worth a look"
    );
}

#[test]
fn two_hundred_paused_templates_fit_discord() {
    let ws = workspace(GupshupMode::Partner, Locale::En);
    let mut templates: Vec<Template> = (0..200)
        .map(|i| {
            let name = format!("seasonal_campaign_reminder_with_a_long_name_{i:03}");
            template(&format!("t{i}"), &name, "PAUSED")
        })
        .collect();
    templates.push(template("ok", "order_update", "APPROVED"));
    let signals = vec![stored(WhatsappReading::Templates(templates), at(12, 0))];
    let card = whatsapp_card(&ws, &signals, None, at(15, 0));
    assert_eq!(card.clone().fit_to_discord(), card, "nothing had to be cut");
    let embed = card.embed.as_ref().unwrap();
    assert!(
        embed.total_chars() <= MAX_EMBED_TOTAL,
        "{}",
        embed.total_chars()
    );
    assert!(
        embed
            .fields
            .iter()
            .all(|f| f.value.chars().count() <= MAX_FIELD_VALUE)
    );
    let value = field(&card, "Templates");
    assert!(
        value.starts_with("1 approved · 200 paused\nCannot be sent:\n"),
        "{value}"
    );
    assert_eq!(value.matches("\n• ").count(), 10, "{value}");
    assert!(value.contains("\n…and 190 more.\n"), "{value}");
    assert_eq!(
        embed.description.as_deref(),
        Some("⚠️ WhatsApp: 200 templates paused")
    );
}

#[test]
fn self_serve_reads_only_templates() {
    let ws = workspace(GupshupMode::ApiKey, Locale::En);
    // Readings left from an earlier partner configuration are not shown.
    let card = whatsapp_card(&ws, &all_wrong(), None, at(15, 0));
    for name in [
        "Gupshup app health",
        "WhatsApp account",
        "Quality and messaging limit",
    ] {
        assert_eq!(field(&card, name), "Needs partner mode");
    }
    assert!(field(&card, "Templates").starts_with("1 approved · 2 paused · 1 disabled"));
    assert_eq!(field(&card, "Gupshup balance"), "Not read yet");
    let description = card.embed.unwrap().description.unwrap();
    assert_eq!(
        description,
        "⚠️ WhatsApp: 2 templates paused · 1 template disabled\n\
         ℹ️ With the self-serve API key Gupshup offers only the templates; app health, the account and the quality rating need `gupshup.mode = \"partner\"`."
    );
}

#[test]
fn nothing_read_yet_and_no_gupshup() {
    let ws = workspace(GupshupMode::Partner, Locale::Pt);
    let card = whatsapp_card(&ws, &[], None, at(15, 0));
    let embed = card.embed.as_ref().unwrap();
    assert_eq!(embed.color, Some(super::super::GREY));
    assert_eq!(
        embed.description.as_deref(),
        Some("Ainda não há leituras: o monitor consulta o Gupshup periodicamente.")
    );
    assert!(
        embed.fields.iter().all(|f| f.value == "Ainda não lido"),
        "{:?}",
        embed.fields
    );

    let fine = whatsapp_card(&ws, &all_fine(), Some(&balance(80.0)), at(15, 0));
    assert_eq!(
        fine.embed.as_ref().unwrap().color,
        Some(super::super::GREEN)
    );
    assert_eq!(
        field(&fine, "Saúde do app do Gupshup"),
        "✅ **Saudável**\nlido 2026-11-05 09:00 -03"
    );

    let other = whatsapp_card(&without_gupshup(Locale::Es), &all_wrong(), None, at(15, 0));
    assert!(other.ephemeral && other.embed.is_none());
    assert!(other.content.unwrap().contains("no usa Gupshup"));
}

#[test]
fn demo_is_labelled_and_the_terminal_reads_it() {
    let ws = workspace(GupshupMode::Demo, Locale::Es);
    let card = whatsapp_card(&ws, &all_fine(), Some(&balance(58.4)), at(15, 0));
    let embed = card.embed.as_ref().unwrap();
    assert_eq!(embed.title, "📱 Salud de WhatsApp (demo) · Soporte");
    assert!(embed.footer.as_deref().unwrap().starts_with("🧪 Demo"));
    assert!(
        embed
            .fields
            .iter()
            .any(|f| f.name == "Saldo de Gupshup (demo)")
    );
    let text = card.to_text();
    assert!(!text.contains("**"), "{text}");
    assert!(
        text.contains("\n  Cuenta de WhatsApp: ✅ Puede enviar: AVAILABLE · cuenta ACTIVE · número CONNECTED · "),
        "{text}"
    );
    assert!(
        text.contains("\n  Plantillas: 2 aprobadas · 1 pendiente · leído 2026-11-05 09:00 -03\n"),
        "{text}"
    );
}
