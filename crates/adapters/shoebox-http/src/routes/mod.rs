//! The route table. One file per resource; each handler parses, calls one use
//! case and maps the result.

pub mod admin;
pub mod admin_jobs;
pub mod auth;
pub mod me;
pub mod ops;
pub mod sessions;
pub mod tokens;

use actix_web::web;

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(web::resource("/healthz").route(web::get().to(ops::healthz)))
        .service(web::resource("/readyz").route(web::get().to(ops::readyz)))
        .service(web::resource("/version").route(web::get().to(ops::version)))
        .service(
            web::scope("/api/v1")
                .service(web::resource("/auth/signup").route(web::post().to(auth::sign_up)))
                .service(web::resource("/auth/login").route(web::post().to(auth::log_in)))
                .service(web::resource("/auth/logout").route(web::post().to(auth::log_out)))
                .service(web::resource("/auth/session").route(web::get().to(auth::current_session)))
                .service(
                    web::resource("/me")
                        .route(web::get().to(me::profile))
                        .route(web::patch().to(me::update_profile)),
                )
                .service(web::resource("/me/password").route(web::put().to(me::change_password)))
                .service(
                    web::resource("/me/sessions")
                        .route(web::get().to(sessions::list))
                        .route(web::delete().to(sessions::revoke_all)),
                )
                .service(
                    web::resource("/me/sessions/{id}").route(web::delete().to(sessions::revoke)),
                )
                .service(
                    web::resource("/me/tokens")
                        .route(web::get().to(tokens::list))
                        .route(web::post().to(tokens::create)),
                )
                .service(web::resource("/me/tokens/{id}").route(web::delete().to(tokens::revoke)))
                .service(web::resource("/admin/users").route(web::get().to(admin::list_users)))
                .service(
                    web::resource("/admin/users/{id}")
                        .route(web::get().to(admin::user))
                        .route(web::patch().to(admin::update_user)),
                )
                .service(
                    web::resource("/admin/invitations")
                        .route(web::get().to(admin::list_invitations))
                        .route(web::post().to(admin::create_invitation)),
                )
                .service(
                    web::resource("/admin/invitations/{id}")
                        .route(web::delete().to(admin::revoke_invitation)),
                )
                .service(web::resource("/admin/jobs").route(web::get().to(admin_jobs::list)))
                .service(
                    web::resource("/admin/jobs/{id}/retry")
                        .route(web::post().to(admin_jobs::retry)),
                )
                .service(
                    web::resource("/admin/jobs/{id}/cancel")
                        .route(web::post().to(admin_jobs::cancel)),
                ),
        );
}
