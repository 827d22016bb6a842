//! Who may run what, checked by pulso on every transport from the interaction's member
//! permissions and roles (never trusting the registration alone): read commands are open to
//! the server unless `viewer_roles` is set; what changes state needs Manage Server or one of
//! `admin_roles`.

use super::UserError;
use crate::config::Workspace;

/// What an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Reading figures and state.
    View,
    /// Changing what pulso does (mute, acknowledge, snooze, post a digest).
    Administer,
}

/// Whether a member with `can_manage_guild` and `roles` may do what `need`s.
///
/// # Errors
/// [`UserError::Forbidden`] or [`UserError::MissingRole`], which name what is needed.
pub fn check(
    workspace: &Workspace,
    need: Need,
    can_manage_guild: bool,
    roles: &[u64],
) -> Result<(), UserError> {
    let has = |wanted: &[u64]| roles.iter().any(|role| wanted.contains(role));
    let admin = can_manage_guild || has(&workspace.admin_roles);
    match need {
        Need::Administer if admin => Ok(()),
        Need::Administer if workspace.admin_roles.is_empty() => Err(UserError::Forbidden),
        Need::Administer => Err(UserError::MissingRole {
            roles: workspace.admin_roles.clone(),
            admin: true,
        }),
        Need::View if admin || workspace.viewer_roles.is_empty() => Ok(()),
        Need::View if has(&workspace.viewer_roles) => Ok(()),
        Need::View => Err(UserError::MissingRole {
            roles: workspace.viewer_roles.clone(),
            admin: false,
        }),
    }
}
