//! The route table. One file per resource; each handler parses, calls one use
//! case and maps the result.

pub mod admin;
pub mod admin_jobs;
pub mod albums;
pub mod auth;
mod files;
pub mod me;
pub mod ops;
pub mod photos;
pub mod sessions;
pub mod shares;
pub mod tokens;
mod upload;

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
                .service(web::resource("/me/storage").route(web::get().to(photos::storage)))
                .service(
                    web::resource("/photos")
                        .route(web::get().to(photos::list))
                        .route(web::post().to(photos::upload)),
                )
                .service(
                    web::resource("/photos/{id}")
                        .route(web::get().to(photos::get))
                        .route(web::patch().to(photos::update))
                        .route(web::delete().to(photos::delete)),
                )
                .service(
                    web::resource("/photos/{id}/original").route(web::get().to(photos::original)),
                )
                .service(
                    web::resource("/photos/{id}/preview").route(web::get().to(photos::preview)),
                )
                .service(
                    web::resource("/photos/{id}/thumbnail").route(web::get().to(photos::thumbnail)),
                )
                .service(
                    web::resource("/albums")
                        .route(web::get().to(albums::list))
                        .route(web::post().to(albums::create)),
                )
                .service(
                    web::resource("/albums/{id}")
                        .route(web::get().to(albums::get))
                        .route(web::patch().to(albums::update))
                        .route(web::delete().to(albums::delete)),
                )
                .service(
                    web::resource("/albums/{id}/photos")
                        .route(web::get().to(albums::photos))
                        .route(web::post().to(albums::add_photos))
                        .route(web::delete().to(albums::remove_photos)),
                )
                .service(web::resource("/albums/{id}/order").route(web::put().to(albums::reorder)))
                .service(
                    web::resource("/albums/{id}/links")
                        .route(web::get().to(shares::links))
                        .route(web::post().to(shares::create_link)),
                )
                .service(
                    web::resource("/albums/{id}/links/{link_id}")
                        .route(web::delete().to(shares::revoke_link)),
                )
                .service(
                    web::resource("/shared/{token}").route(web::get().to(shares::shared_album)),
                )
                .service(
                    web::resource("/shared/{token}/photos")
                        .route(web::get().to(shares::shared_photos)),
                )
                .service(
                    web::resource("/shared/{token}/photos/{id}")
                        .route(web::get().to(shares::shared_photo)),
                )
                .service(
                    web::resource("/shared/{token}/photos/{id}/{file}")
                        .route(web::get().to(shares::shared_file)),
                )
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
