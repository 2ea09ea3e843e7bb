//! The route table. One file per resource; each handler parses, calls one use
//! case and maps the result.

pub mod admin;
pub mod admin_backups;
pub mod admin_jobs;
pub mod albums;
pub mod auth;
pub mod deletion;
pub mod email;
mod files;
pub mod invitations;
pub mod me;
pub mod ops;
pub mod photos;
pub mod privacy;
pub mod recovery;
pub mod sessions;
pub mod shares;
pub mod tokens;
mod upload;

use actix_web::web;

/// Routes are grouped under static scopes (`/me`, `/photos`, `/albums`, ...):
/// actix tries a scope's prefix as a plain string, and only the resources of
/// the matching scope as patterns, so a request runs a handful of pattern
/// matches rather than one per route (they showed up at 9% of a busy
/// listing's CPU when the table was flat).
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(web::resource("/healthz").route(web::get().to(ops::healthz)))
        .service(web::resource("/readyz").route(web::get().to(ops::readyz)))
        .service(web::resource("/version").route(web::get().to(ops::version)))
        .service(web::resource("/metrics").route(web::get().to(ops::metrics)))
        .service(
            web::scope("/api/v1")
                .service(auth_routes())
                .service(me_routes())
                .service(photo_routes())
                .service(album_routes())
                .service(shared_routes())
                .service(admin_routes()),
        );
}

fn auth_routes() -> actix_web::Scope {
    web::scope("/auth")
        .service(web::resource("/signup").route(web::post().to(auth::sign_up)))
        .service(web::resource("/login").route(web::post().to(auth::log_in)))
        .service(web::resource("/logout").route(web::post().to(auth::log_out)))
        .service(web::resource("/session").route(web::get().to(auth::current_session)))
        .service(web::resource("/password-reset").route(web::post().to(recovery::request_reset)))
        .service(
            web::resource("/invitation").route(web::post().to(invitations::preview_invitation)),
        )
        .service(
            web::resource("/password-reset/confirm")
                .route(web::post().to(recovery::reset_password)),
        )
        .service(
            web::resource("/email-verification").route(web::post().to(email::request_verification)),
        )
        .service(
            web::resource("/email-verification/confirm")
                .route(web::post().to(email::confirm_email)),
        )
}

fn me_routes() -> actix_web::Scope {
    web::scope("/me")
        .service(
            web::resource("")
                .route(web::get().to(me::profile))
                .route(web::patch().to(me::update_profile))
                .route(web::delete().to(deletion::delete_own)),
        )
        .service(
            web::resource("/deletion")
                .route(web::get().to(deletion::policy))
                .route(web::delete().to(deletion::cancel_own)),
        )
        .service(
            web::resource("/exports")
                .route(web::get().to(privacy::list_exports))
                .route(web::post().to(privacy::request_export)),
        )
        .service(web::resource("/exports/{id}").route(web::get().to(privacy::get_export)))
        .service(
            web::resource("/exports/{id}/archive").route(web::get().to(privacy::download_export)),
        )
        .service(web::resource("/password").route(web::put().to(me::change_password)))
        .service(web::resource("/email").route(web::post().to(email::change_email)))
        .service(
            web::resource("/sessions")
                .route(web::get().to(sessions::list))
                .route(web::delete().to(sessions::revoke_all)),
        )
        .service(web::resource("/sessions/{id}").route(web::delete().to(sessions::revoke)))
        .service(
            web::resource("/tokens")
                .route(web::get().to(tokens::list))
                .route(web::post().to(tokens::create)),
        )
        .service(web::resource("/tokens/{id}").route(web::delete().to(tokens::revoke)))
        .service(web::resource("/storage").route(web::get().to(photos::storage)))
}

fn photo_routes() -> actix_web::Scope {
    web::scope("/photos")
        .service(
            web::resource("")
                .route(web::get().to(photos::list))
                .route(web::post().to(photos::upload)),
        )
        .service(
            web::resource("/{id}")
                .route(web::get().to(photos::get))
                .route(web::patch().to(photos::update))
                .route(web::delete().to(photos::delete)),
        )
        .service(web::resource("/{id}/original").route(web::get().to(photos::original)))
        .service(web::resource("/{id}/preview").route(web::get().to(photos::preview)))
        .service(web::resource("/{id}/thumbnail").route(web::get().to(photos::thumbnail)))
}

fn album_routes() -> actix_web::Scope {
    web::scope("/albums")
        .service(
            web::resource("")
                .route(web::get().to(albums::list))
                .route(web::post().to(albums::create)),
        )
        .service(
            web::resource("/{id}/photos")
                .route(web::get().to(albums::photos))
                .route(web::post().to(albums::add_photos))
                .route(web::delete().to(albums::remove_photos)),
        )
        .service(
            web::resource("/{id}")
                .route(web::get().to(albums::get))
                .route(web::patch().to(albums::update))
                .route(web::delete().to(albums::delete)),
        )
        .service(web::resource("/{id}/order").route(web::put().to(albums::reorder)))
        .service(
            web::resource("/{id}/links")
                .route(web::get().to(shares::links))
                .route(web::post().to(shares::create_link)),
        )
        .service(
            web::resource("/{id}/links/{link_id}").route(web::delete().to(shares::revoke_link)),
        )
}

fn shared_routes() -> actix_web::Scope {
    web::scope("/shared")
        .service(web::resource("/{token}").route(web::get().to(shares::shared_album)))
        .service(web::resource("/{token}/photos").route(web::get().to(shares::shared_photos)))
        .service(web::resource("/{token}/photos/{id}").route(web::get().to(shares::shared_photo)))
        .service(
            web::resource("/{token}/photos/{id}/{file}").route(web::get().to(shares::shared_file)),
        )
}

fn admin_routes() -> actix_web::Scope {
    web::scope("/admin")
        .service(web::resource("/users").route(web::get().to(admin::list_users)))
        .service(
            web::resource("/users/{id}")
                .route(web::get().to(admin::user))
                .route(web::patch().to(admin::update_user))
                .route(web::delete().to(deletion::delete_member)),
        )
        .service(
            web::resource("/users/{id}/deletion").route(web::delete().to(deletion::cancel_member)),
        )
        .service(
            web::resource("/invitations")
                .route(web::get().to(admin::list_invitations))
                .route(web::post().to(invitations::create_invitation)),
        )
        .service(
            web::resource("/invitations/{id}").route(web::delete().to(admin::revoke_invitation)),
        )
        .service(
            web::resource("/invitations/{id}/resend")
                .route(web::post().to(invitations::resend_invitation)),
        )
        .service(
            web::resource("/backups")
                .route(web::get().to(admin_backups::list))
                .route(web::post().to(admin_backups::back_up_now)),
        )
        .service(web::resource("/audit").route(web::get().to(privacy::audit_log)))
        .service(web::resource("/jobs").route(web::get().to(admin_jobs::list)))
        .service(web::resource("/jobs/{id}/retry").route(web::post().to(admin_jobs::retry)))
        .service(web::resource("/jobs/{id}/cancel").route(web::post().to(admin_jobs::cancel)))
}
