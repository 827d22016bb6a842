//! Alert buttons' `custom_id`s.

use super::*;

#[test]
fn button_ids_read_back_and_refuse_others() {
    for action in [
        ButtonAction::Acknowledge { episode: 7 },
        ButtonAction::Snooze { minutes: 240 },
    ] {
        let button = RuleButton {
            workspace: "soporte".into(),
            rule: "cola: urgente".into(),
            action,
        };
        assert_eq!(RuleButton::parse(&button.custom_id()), Some(button));
    }
    for other in [
        "",
        "alert:ack:x:w:r",
        "alert:snooze:0:w:r",
        "alert:mute:1:w:r",
        "digest:1",
    ] {
        assert_eq!(RuleButton::parse(other), None, "{other}");
    }
}
