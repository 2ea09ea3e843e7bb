//! The authorization matrix: every photo, album, share and admin-jobs route,
//! asked by every kind of caller, with the status each must get. The routes
//! come from the served OpenAPI document, so a route added under those
//! prefixes without a row here, or a row for a route that is gone, fails.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{
    Method, Response,
    multipart::{Form, Part},
};
use serde_json::{Value, json};
use shoebox_domain::{
    accounts::Role,
    albums::SHARE_TOKEN_PREFIX,
    auth::SecretToken,
    jobs::{JobKind, NewJob},
};
use shoebox_imaging::samples::{self, SampleExif};

use crate::helpers::{Client, TestApp, builder, settled_photo, upload};

/// The route prefixes this matrix answers for.
const PREFIXES: [&str; 4] = [
    "/api/v1/photos",
    "/api/v1/albums",
    "/api/v1/shared",
    "/api/v1/admin/jobs",
];

/// The columns, in table order. The owner owns every photo and album of the
/// fixture; the admin owns none of them. The owner and the link holder know
/// the share tokens; the others put a well-formed token of their own making
/// in `{…token}`. Off the shared routes the link holder presents its token
/// as a Bearer credential, which must open nothing. Declared in `ACTORS`
/// order: `actor as usize` is its column.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Actor {
    Anonymous,
    Owner,
    OtherMember,
    Admin,
    LinkHolder,
}

const ACTORS: [Actor; 5] = [
    Actor::Anonymous,
    Actor::Owner,
    Actor::OtherMember,
    Actor::Admin,
    Actor::LinkHolder,
];

/// What one cell expects: a success status, or a problem+json with this
/// status and `type` `/problems/<slug>`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    Success(u16),
    Problem(u16, &'static str),
}

const OK: Want = Want::Success(200);
const CR: Want = Want::Success(201);
const NC: Want = Want::Success(204);
const UA: Want = Want::Problem(401, "unauthenticated");
const FB: Want = Want::Problem(403, "forbidden");
/// 404, not 403, for what the caller may not see: ids cannot be probed.
const NF: Want = Want::Problem(404, "not-found");
const LI: Want = Want::Problem(404, "share-link-invalid");

enum Body {
    Empty,
    Json(&'static str),
    Upload,
}
use Body::{Empty, Json, Upload};

/// One row: a request (path relative to `/api/v1`, `{names}` filled from the
/// fixture) and the expected outcome per actor, in `ACTORS` order.
struct Row(Method, &'static str, Body, [Want; 5]);

const ADD: Body = Json(r#"{"photo_ids": ["{spare_photo}"]}"#);

/// Rows run top to bottom and share one fixture, so the rows that destroy
/// something come last and destroy things no other row needs.
#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        //   method      path                                               body    anon owner other admin holder
        Row(M::GET,    "/photos",                                          Empty,  [UA, OK, OK, OK, UA]),
        Row(M::POST,   "/photos",                                          Upload, [UA, CR, CR, CR, UA]),
        Row(M::GET,    "/photos/{private_photo}",                          Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/photos/{members_photo}",                          Empty,  [UA, OK, OK, OK, UA]),
        Row(M::GET,    "/photos/{link_photo}",                             Empty,  [UA, OK, NF, NF, UA]),
        Row(M::PATCH,  "/photos/{private_photo}",   Json(r#"{"caption": "Mine"}"#), [UA, OK, NF, NF, UA]),
        Row(M::PATCH,  "/photos/{members_photo}",   Json(r#"{"caption": "Mine"}"#), [UA, OK, FB, FB, UA]),
        Row(M::GET,    "/photos/{private_photo}/original",                 Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/photos/{members_photo}/original",                 Empty,  [UA, OK, OK, OK, UA]),
        Row(M::GET,    "/photos/{private_photo}/preview",                  Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/photos/{members_photo}/preview",                  Empty,  [UA, OK, OK, OK, UA]),
        Row(M::GET,    "/photos/{private_photo}/thumbnail",                Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/photos/{members_photo}/thumbnail",                Empty,  [UA, OK, OK, OK, UA]),
        Row(M::GET,    "/photos/{link_photo}/thumbnail",                   Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/albums",                                          Empty,  [UA, OK, OK, OK, UA]),
        Row(M::POST,   "/albums",                       Json(r#"{"title": "New"}"#), [UA, CR, CR, CR, UA]),
        Row(M::GET,    "/albums/{private_album}",                          Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/albums/{members_album}",                          Empty,  [UA, OK, OK, OK, UA]),
        Row(M::GET,    "/albums/{link_album}",                             Empty,  [UA, OK, NF, NF, UA]),
        Row(M::PATCH,  "/albums/{private_album}",   Json(r#"{"title": "Renamed"}"#), [UA, OK, NF, NF, UA]),
        Row(M::PATCH,  "/albums/{members_album}",   Json(r#"{"title": "Renamed"}"#), [UA, OK, FB, FB, UA]),
        Row(M::GET,    "/albums/{private_album}/photos",                   Empty,  [UA, OK, NF, NF, UA]),
        Row(M::GET,    "/albums/{members_album}/photos",                   Empty,  [UA, OK, OK, OK, UA]),
        Row(M::GET,    "/albums/{link_album}/photos",                      Empty,  [UA, OK, NF, NF, UA]),
        Row(M::POST,   "/albums/{private_album}/photos",                   ADD,    [UA, OK, NF, NF, UA]),
        Row(M::POST,   "/albums/{members_album}/photos",                   ADD,    [UA, OK, FB, FB, UA]),
        Row(M::DELETE, "/albums/{private_album}/photos",                   ADD,    [UA, OK, NF, NF, UA]),
        Row(M::DELETE, "/albums/{members_album}/photos",                   ADD,    [UA, OK, FB, FB, UA]),
        Row(M::PUT,    "/albums/{private_album}/order",
            Json(r#"{"photo_ids": ["{private_photo}"]}"#),                         [UA, OK, NF, NF, UA]),
        Row(M::PUT,    "/albums/{members_album}/order",
            Json(r#"{"photo_ids": ["{doomed_members_photo}", "{members_photo}"]}"#), [UA, OK, FB, FB, UA]),
        Row(M::GET,    "/albums/{link_album}/links",                       Empty,  [UA, OK, NF, NF, UA]),
        // Links are the owner's business alone, even on an album others see.
        Row(M::GET,    "/albums/{members_album}/links",                    Empty,  [UA, OK, NF, NF, UA]),
        Row(M::POST,   "/albums/{link_album}/links",                  Json("{}"),  [UA, CR, NF, NF, UA]),
        Row(M::POST,   "/albums/{members_album}/links",               Json("{}"),  [UA, CR, FB, FB, UA]),
        Row(M::GET,    "/shared/{token}",                                  Empty,  [LI, OK, LI, LI, OK]),
        Row(M::GET,    "/shared/{revoked_token}",                          Empty,  [LI, LI, LI, LI, LI]),
        // A link on an album that is not (or no longer) shared by link opens nothing.
        Row(M::GET,    "/shared/{unlisted_token}",                         Empty,  [LI, LI, LI, LI, LI]),
        Row(M::GET,    "/shared/{token}/photos",                           Empty,  [LI, OK, LI, LI, OK]),
        Row(M::GET,    "/shared/{unlisted_token}/photos",                  Empty,  [LI, LI, LI, LI, LI]),
        Row(M::GET,    "/shared/{token}/photos/{link_photo}",              Empty,  [LI, OK, LI, LI, OK]),
        Row(M::GET,    "/shared/{token}/photos/{members_photo}",           Empty,  [LI, NF, LI, LI, NF]),
        Row(M::GET,    "/shared/{revoked_token}/photos/{link_photo}",      Empty,  [LI, LI, LI, LI, LI]),
        Row(M::GET,    "/shared/{token}/photos/{link_photo}/original",     Empty,  [LI, OK, LI, LI, OK]),
        Row(M::GET,    "/shared/{token}/photos/{link_photo}/thumbnail",    Empty,  [LI, OK, LI, LI, OK]),
        Row(M::GET,    "/shared/{token}/photos/{private_photo}/original",  Empty,  [LI, NF, LI, LI, NF]),
        Row(M::GET,    "/shared/{revoked_token}/photos/{link_photo}/preview", Empty, [LI, LI, LI, LI, LI]),
        Row(M::GET,    "/admin/jobs",                                      Empty,  [UA, FB, FB, OK, UA]),
        // Cancel a waiting job, then retry the cancelled one.
        Row(M::POST,   "/admin/jobs/{job}/cancel",                         Empty,  [UA, FB, FB, OK, UA]),
        Row(M::POST,   "/admin/jobs/{job}/retry",                          Empty,  [UA, FB, FB, OK, UA]),
        // Destructive rows last, each on something of its own.
        Row(M::DELETE, "/albums/{link_album}/links/{doomed_link}",         Empty,  [UA, NC, NF, NF, UA]),
        // Others see the album but not its links (above), so a link is not found.
        Row(M::DELETE, "/albums/{members_album}/links/{unlisted_link}",    Empty,  [UA, NC, NF, NF, UA]),
        Row(M::DELETE, "/photos/{doomed_photo}",                           Empty,  [UA, NC, NF, NF, UA]),
        Row(M::DELETE, "/photos/{doomed_members_photo}",                   Empty,  [UA, NC, FB, FB, UA]),
        Row(M::DELETE, "/albums/{doomed_album}",                           Empty,  [UA, NC, NF, NF, UA]),
        Row(M::DELETE, "/albums/{doomed_members_album}",                   Empty,  [UA, NC, FB, FB, UA]),
    ]
}

/// The named ids and tokens the rows refer to, and a client per actor.
struct Fixture {
    app: TestApp,
    names: BTreeMap<&'static str, String>,
    /// In `ACTORS` order.
    clients: [Client; 5],
    /// A well-formed share token that opens nothing.
    guessed_token: String,
}

fn jpeg(seed: u64) -> Vec<u8> {
    samples::jpeg_seeded(160, 120, seed, &SampleExif::default())
}

async fn created(response: Response) -> Value {
    assert!(
        response.status().is_success(),
        "fixture request failed: {}",
        response.status()
    );
    response.json().await.unwrap()
}

async fn fixture() -> Fixture {
    let app = builder().with_worker().spawn().await;
    let owner = app.signed_in("owner@example.org", Role::Member).await;
    let other = app.signed_in("other@example.org", Role::Member).await;
    let admin = app.signed_in("admin@example.org", Role::Admin).await;
    let mut names = BTreeMap::new();

    let photos = [
        "private_photo",
        "members_photo",
        "link_photo",
        "spare_photo",
        "doomed_photo",
        "doomed_members_photo",
    ];
    let files = (500..)
        .zip(photos)
        .map(|(seed, _)| ("p.jpg", jpeg(seed)))
        .collect();
    let uploaded = created(upload(&owner, files).await).await;
    for (name, item) in photos.iter().zip(uploaded.as_array().unwrap()) {
        let id = item["photo"]["id"].as_str().unwrap().to_owned();
        // Previews and thumbnails exist before any row asks for them.
        assert_eq!(settled_photo(&owner, &id).await["status"], "ready");
        names.insert(*name, id);
    }
    let albums: [(&str, &str, &[&str]); 5] = [
        ("private_album", "private", &["private_photo"]),
        (
            "members_album",
            "members",
            &["members_photo", "doomed_members_photo"],
        ),
        ("link_album", "link", &["link_photo"]),
        ("doomed_album", "private", &["doomed_photo"]),
        ("doomed_members_album", "members", &[]),
    ];
    for (name, visibility, contents) in albums {
        let body = json!({"title": name, "visibility": visibility});
        let album = created(owner.send_json(Method::POST, "/api/v1/albums", body).await).await;
        let id = album["id"].as_str().unwrap().to_owned();
        if !contents.is_empty() {
            let ids: Vec<&String> = contents.iter().map(|photo| &names[*photo]).collect();
            let path = format!("/api/v1/albums/{id}/photos");
            created(
                owner
                    .send_json(Method::POST, &path, json!({"photo_ids": ids}))
                    .await,
            )
            .await;
        }
        names.insert(name, id);
    }
    let links = [
        ("link", "token", "link_album"),
        ("revoked_link", "revoked_token", "link_album"),
        ("doomed_link", "doomed_token", "link_album"),
        ("unlisted_link", "unlisted_token", "members_album"),
    ];
    for (link, token, album) in links {
        let path = format!("/api/v1/albums/{}/links", names[album]);
        let made = created(owner.send_json(Method::POST, &path, json!({})).await).await;
        names.insert(link, made["link"]["id"].as_str().unwrap().to_owned());
        names.insert(token, made["token"].as_str().unwrap().to_owned());
    }
    let revoke = format!(
        "/api/v1/albums/{}/links/{}",
        names["link_album"], names["revoked_link"]
    );
    assert_eq!(owner.delete(&revoke).await.status(), 204);

    // A job of a kind no worker handles waits until someone acts on it.
    let kind = JobKind::parse("test.authorization").unwrap();
    let job = NewJob::new(kind, json!({}), chrono::Utc::now());
    let job = app.application.job_queue.enqueue(job).await.unwrap().id();
    names.insert("job", job.to_string());

    let clients = [app.client(), owner, other, admin, app.client()];
    let guessed_token = SecretToken::generate(SHARE_TOKEN_PREFIX)
        .expose()
        .to_owned();
    Fixture {
        app,
        names,
        clients,
        guessed_token,
    }
}

impl Fixture {
    /// `template` with every `{name}` filled in as `actor` would.
    fn fill(&self, template: &str, actor: Actor) -> String {
        let knows_tokens = matches!(actor, Actor::Owner | Actor::LinkHolder);
        let mut filled = template.to_owned();
        for (name, value) in &self.names {
            let value = if name.ends_with("token") && !knows_tokens {
                &self.guessed_token
            } else {
                value
            };
            filled = filled.replace(&format!("{{{name}}}"), value);
        }
        filled
    }

    async fn send(&self, row: &Row, actor: Actor) -> Response {
        let Row(method, path, body, _) = row;
        let path = format!("/api/v1{}", self.fill(path, actor));
        assert!(!path.contains('{'), "unknown name in {path}");
        let mut request = self.clients[actor as usize].request(method.clone(), &path);
        if actor == Actor::LinkHolder && !path.starts_with("/api/v1/shared/") {
            request = request.bearer_auth(&self.names["token"]);
        }
        request = match body {
            Empty => request,
            Json(template) => {
                let body: Value = serde_json::from_str(&self.fill(template, actor)).unwrap();
                request.json(&body)
            }
            Upload => {
                let file = Part::bytes(jpeg(9)).file_name("u.jpg");
                request.multipart(Form::new().part("file", file))
            }
        };
        request.send().await.unwrap()
    }
}

/// What came back, written as `describe` writes a `Want`: the status, and
/// for a problem+json body its slug.
async fn outcome(response: Response) -> String {
    let status = response.status().as_u16();
    let is_problem = response
        .headers()
        .get("content-type")
        .is_some_and(|value| value == "application/problem+json");
    if !is_problem {
        return status.to_string();
    }
    let body: Value = response.json().await.unwrap_or_default();
    let slug = body["type"].as_str().unwrap_or("(no type)");
    format!("{status} {}", slug.trim_start_matches("/problems/"))
}

fn describe(want: Want) -> String {
    match want {
        Want::Success(status) => status.to_string(),
        Want::Problem(status, slug) => format!("{status} {slug}"),
    }
}

/// Every (method, path) under `PREFIXES` in the served OpenAPI document.
async fn documented_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let document: Value = app
        .client()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let mut routes = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        if !PREFIXES.iter().any(|prefix| path.starts_with(prefix)) {
            continue;
        }
        for method in operations.as_object().unwrap().keys() {
            if !["parameters", "summary", "description", "servers"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

/// Whether a row's path template is a request to the documented `route`: the
/// same literal segments, a parameter of the route standing for any segment.
fn matches(route: &str, template: &str) -> bool {
    let (route, template): (Vec<_>, Vec<_>) =
        (route.split('/').collect(), template.split('/').collect());
    route.len() == template.len()
        && route
            .iter()
            .zip(&template)
            .all(|(r, t)| r.starts_with('{') || r == t)
}

#[actix_web::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    let fixture = fixture().await;
    let rows = rows();
    let mut failures = Vec::new();

    let routes = documented_routes(&fixture.app).await;
    assert!(
        !routes.is_empty(),
        "the OpenAPI document lists none of {PREFIXES:?}"
    );
    let mut covered = BTreeSet::new();
    for Row(method, path, _, _) in &rows {
        let template = format!("/api/v1{path}");
        let hits: Vec<_> = routes
            .iter()
            .filter(|(m, route)| m == method.as_str() && matches(route, &template))
            .collect();
        if hits.is_empty() {
            failures.push(format!(
                "row {method} {template}: no such route in the OpenAPI document"
            ));
        }
        covered.extend(hits);
    }
    for (method, route) in routes.iter().filter(|route| !covered.contains(route)) {
        failures.push(format!("route {method} {route}: no row in the matrix"));
    }

    for row in &rows {
        // Refusals first, while whatever the row changes still exists.
        let mut order: Vec<usize> = (0..ACTORS.len()).collect();
        order.sort_by_key(|&i| matches!(row.3[i], Want::Success(_)));
        for i in order {
            let (actor, want) = (ACTORS[i], row.3[i]);
            let (want, got) = (
                describe(want),
                outcome(fixture.send(row, actor).await).await,
            );
            if got != want {
                failures.push(format!(
                    "{} /api/v1{} as {actor:?}: want {want}, got {got}",
                    row.0, row.1
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures in {} rows x {} actors and the route coverage:\n  {}",
        failures.len(),
        rows.len(),
        ACTORS.len(),
        failures.join("\n  ")
    );
}
