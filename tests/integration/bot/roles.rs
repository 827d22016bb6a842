//! Access by role through the signed endpoint and the gateway: with `viewer_roles`, only members with one
//! of them (or an admin) see figures; with `admin_roles`, their members may run what
//! otherwise needs Manage Server; refusals are private and name the role; bad ids are
//! refused by `config check` with their key path.

use pulso::config::{Config, ConfigSource};

use super::*;

crate::app_tests!(
    roles_decide_who_reads_and_who_administers,
    roles_are_enforced_on_the_gateway_too,
);

/// A command from a member of server 1001 with `roles`, without Manage Server.
fn from_member(name: &str, subcommand: Option<&str>, roles: &[&str]) -> Value {
    let mut interaction = command(name, &[], "en-US", Some(1001));
    interaction["member"] = json!({
        "user": {"id": "1000", "username": "alice", "global_name": null, "avatar": null},
        "roles": roles, "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false,
        "flags": 0, "permissions": "0"
    });
    if let Some(sub) = subcommand {
        interaction["data"]["options"] = json!([{"name": sub, "type": 1, "options": []}]);
    }
    interaction
}

async fn roles_decide_who_reads_and_who_administers(db: TestDb) {
    let config = ConfigBuilder::with([soporte()
        .locale("en")
        .keys("viewer_roles = [\"77\"]\nadmin_roles = [\"88\"]")]);
    let mut app = TestApp::spawn(db, config).await;
    seed(app.store()).await;
    let address = app.http();

    let (_, reply) = post(address, &from_member("indicators", None, &[])).await;
    assert_eq!(reply["data"]["flags"], 64, "{reply}");
    assert_eq!(
        reply["data"]["content"],
        "⚠️ Only members with one of these roles may see pulso here: <@&77>."
    );
    let (_, reply) = post(address, &from_member("indicators", None, &["77"])).await;
    assert!(reply["data"]["embeds"][0]["title"].is_string(), "{reply}");
    let (_, reply) = post(address, &from_member("indicators", None, &["88"])).await;
    assert!(
        reply["data"]["embeds"][0]["title"].is_string(),
        "admins see too: {reply}"
    );

    let (_, reply) = post(address, &from_member("alerts", Some("unmute"), &["77"])).await;
    assert_eq!(
        reply["data"]["content"],
        "⚠️ You need the Manage Server permission or one of these roles: <@&88>."
    );
    let (_, reply) = post(address, &from_member("alerts", Some("unmute"), &["88"])).await;
    assert_eq!(
        reply["data"]["content"],
        "This workspace has no alerts: no Gupshup balance and no `[[workspaces.alerts]]` rules.",
        "an admin role passes the check: {reply}"
    );
    app.finish().await;

    let bad = "[[workspaces]]\nid = \"w\"\nname = \"W\"\ntimezone = \"UTC\"\nlocale = \"en\"\nadmin_roles = [\"88\", \"role-x\"]\n";
    let error = Config::parse(bad, ConfigSource::Embedded, None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("workspaces[0].admin_roles[1]"), "{error}");
}

/// The gateway transport reads the same member roles: a member without the viewer role is
/// refused privately, one with it gets the card (each press of the check, over the real
/// serenity client against the fake gateway).
async fn roles_are_enforced_on_the_gateway_too(db: TestDb) {
    let config = ConfigBuilder::with([soporte().locale("en").keys("viewer_roles = [\"77\"]")])
        .transport("gateway");
    let mut app = TestApp::spawn(db, config).await;
    seed(app.store()).await;
    let gateway = super::gateway::connect_to_fake_gateway(&mut app).await;

    gateway.dispatch(
        "INTERACTION_CREATE",
        from_member("indicators", None, &["12"]),
    );
    let refused = super::gateway::first_callback(app.discord(), &gateway).await;
    assert_eq!(refused.body["data"]["flags"], 64, "{}", refused.body);
    assert_eq!(
        refused.body["data"]["content"],
        "⚠️ Only members with one of these roles may see pulso here: <@&77>."
    );

    let mut member = from_member("indicators", None, &["77"]);
    member["id"] = json!("901");
    member["token"] = json!("interaction-token-2");
    gateway.dispatch("INTERACTION_CREATE", member);
    let answered = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let member_callback = app.discord().requests().into_iter().find(|request| {
                request.path.ends_with("/callback") && request.path.contains("/901/")
            });
            if let Some(request) = member_callback {
                return request;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("a callback for the member's interaction");
    assert!(
        answered.body["data"]["embeds"][0]["title"].is_string(),
        "{}",
        answered.body
    );
    app.finish().await;
}
