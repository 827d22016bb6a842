//! The limit and template news cards, in es, en and pt.

use super::super::test_support::{parts, template, workspace};
use super::*;
use crate::config::GupshupMode;
use crate::domain::Tier;

fn partner(locale: Locale) -> Workspace {
    workspace(GupshupMode::Partner, locale)
}

#[test]
fn limits_read_as_users_per_day() {
    let lowered = LimitChange::Lowered {
        from: Tier("TIER_1K".into()),
        to: Tier("TIER_250".into()),
    };
    let card = limit_change_card(&partner(Locale::En), &lowered);
    let (title, description, footer, actions) = parts(&card);
    assert_eq!(title, "📉 Messaging limit lowered · Soporte");
    assert!(
        description.starts_with(
            "Meta lowered the WhatsApp messaging limit from **1,000** to **250 users per day** (TIER_1K → TIER_250).\n"
        ),
        "{description}"
    );
    assert_eq!(footer, "pulso · alert rule whatsapp_quality");
    assert_eq!(
        actions,
        [
            "alert:snooze:60:soporte:whatsapp_quality",
            "alert:snooze:240:soporte:whatsapp_quality",
        ]
    );
    assert_eq!(card.embed.unwrap().color, Some(ORANGE));

    let raised = LimitChange::Raised {
        from: Tier("TIER_100K".into()),
        to: Tier("TIER_UNLIMITED".into()),
    };
    let card = limit_change_card(&partner(Locale::Es), &raised);
    let (title, description, _, actions) = parts(&card);
    assert_eq!(title, "📈 Límite de mensajes ampliado · Soporte");
    assert!(
        description.starts_with(
            "Meta subió el límite de mensajes de WhatsApp de **100.000** a **ilimitado** (TIER_100K → TIER_UNLIMITED)"
        ),
        "{description}"
    );
    assert!(actions.is_empty());
    assert_eq!(card.embed.unwrap().color, Some(GREEN));

    let card = limit_change_card(&partner(Locale::Pt), &lowered);
    let (_, description, _, _) = parts(&card);
    assert!(
        description.contains("de **1.000** para **250 usuários por dia**"),
        "{description}"
    );
}

#[test]
fn template_news_names_the_template_and_its_new_status() {
    let mut paused = template("t1", "order_update", "PAUSED");
    paused.reason = Some("Low quality_score".into());
    let stopped = TemplateChange::Stopped {
        template: paused.clone(),
        from: "APPROVED".into(),
    };
    let card = template_change_card(&partner(Locale::Es), &stopped);
    let (title, description, footer, actions) = parts(&card);
    assert_eq!(title, "⏸️ Plantilla pausada: order_update · Soporte");
    assert!(
        description.starts_with(
            "La plantilla `order_update` pasó de APPROVED a **PAUSED**.\nMotivo: Low quality\\_score\nMientras esté pausada"
        ),
        "{description}"
    );
    assert_eq!(footer, "pulso · regla de alerta whatsapp_templates");
    assert_eq!(
        actions,
        [
            "alert:snooze:60:soporte:whatsapp_templates",
            "alert:snooze:240:soporte:whatsapp_templates",
        ]
    );
    let fields: Vec<(String, String)> = card
        .embed
        .unwrap()
        .fields
        .into_iter()
        .map(|f| (f.name, f.value))
        .collect();
    assert_eq!(
        fields,
        [
            ("Idioma".to_string(), "es".to_string()),
            ("Categoría".into(), "UTILITY".into()),
            ("Estado".into(), "PAUSED".into()),
            ("Calidad".into(), "GREEN (alta)".into()),
        ]
    );

    let disabled = TemplateChange::Stopped {
        template: template("t1", "order_update", "DISABLED"),
        from: "PAUSED".into(),
    };
    let card = template_change_card(&partner(Locale::En), &disabled);
    let (title, description, _, actions) = parts(&card);
    assert_eq!(title, "⛔ Template disabled: order_update · Soporte");
    assert!(description.contains("went from PAUSED to **DISABLED**"));
    assert!(description.contains("can no longer send it"));
    assert_eq!(actions.len(), 2);
    assert_eq!(card.embed.unwrap().color, Some(RED));

    let rejected = TemplateChange::Stopped {
        template: template("t9", "promo_nov", "REJECTED"),
        from: "APPROVED".into(),
    };
    let (title, description, _, _) = parts(&template_change_card(&partner(Locale::Pt), &rejected));
    assert_eq!(title, "❌ Modelo rejeitado: promo_nov · Soporte");
    assert!(
        description.contains("envie-o de novo para análise"),
        "{description}"
    );

    let resumed = TemplateChange::PauseEnded {
        template: template("t1", "order_update", "APPROVED"),
    };
    let card = template_change_card(&partner(Locale::En), &resumed);
    let (title, description, _, actions) = parts(&card);
    assert_eq!(title, "▶️ Template back: order_update · Soporte");
    assert_eq!(
        description,
        "The template `order_update` is approved again (APPROVED): the chatbot can send it again."
    );
    assert!(actions.is_empty());
    assert_eq!(card.embed.unwrap().color, Some(GREEN));

    let mut red = template("t2", "welcome", "APPROVED");
    red.quality = Some(Quality::Red);
    let dropped = TemplateChange::QualityDropped {
        template: red,
        from: Some(Quality::Yellow),
    };
    let card = template_change_card(&partner(Locale::En), &dropped);
    let (title, description, _, actions) = parts(&card);
    assert_eq!(title, "⚠️ Low quality on template welcome · Soporte");
    assert!(
        description.starts_with(
            "The quality of the template `welcome` dropped to **RED** (before: YELLOW (medium)).\nMeta may pause or disable it soon"
        ),
        "{description}"
    );
    assert_eq!(actions.len(), 2);
}

#[test]
fn demo_news_says_demo() {
    let demo = workspace(GupshupMode::Demo, Locale::Es);
    let raised = LimitChange::Raised {
        from: Tier("TIER_250".into()),
        to: Tier("TIER_1K".into()),
    };
    let (title, _, footer, _) = parts(&limit_change_card(&demo, &raised));
    assert_eq!(title, "📈 Límite de mensajes ampliado (demo) · Soporte");
    assert!(footer.starts_with("🧪 Demo"), "{footer}");
    let resumed = TemplateChange::PauseEnded {
        template: template("t1", "order_update", "APPROVED"),
    };
    let (title, _, _, _) = parts(&template_change_card(&demo, &resumed));
    assert_eq!(
        title,
        "▶️ Plantilla reactivada: order_update (demo) · Soporte"
    );
}
