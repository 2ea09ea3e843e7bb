//! Members and their accounts: identity, profile, credentials, roles.

mod admin;
mod commands;
mod email;
mod errors;
mod password;
mod profile;
mod user;

pub use admin::{AdminChange, AdminRuleViolation, check_admin_change};
pub use commands::{ChangePassword, LogIn, SignUp, UpdateProfile};
pub use email::{EmailAddress, EmailError};
pub use errors::{
    AdminUserError, ChangeEmailError, ChangePasswordError, ConfirmEmailError, CreateAdminError,
    LogInError, SignUpError, UpdateProfileError,
};
pub use password::{NewPassword, PasswordError, PasswordHash, PlainPassword};
pub use profile::{Bio, DisplayName, FullName, ProfileError, ProfileUpdate};
pub use user::{ConfirmedEmail, NewUser, Role, RoleError, User, UserCredentials, UserId};
