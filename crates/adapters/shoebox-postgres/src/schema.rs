//! The diesel description of the tables, kept by hand in step with
//! `migrations/`. The repository tests exercise every column, so a mismatch
//! fails them.

diesel::table! {
    audit_log (id) {
        id -> Uuid,
        occurred_at -> Timestamptz,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        target_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    data_exports (id) {
        id -> Uuid,
        user_id -> Uuid,
        status -> Text,
        requested_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
        size_bytes -> Nullable<Int8>,
        photo_count -> Nullable<Int8>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        full_name -> Nullable<Text>,
        bio -> Nullable<Text>,
        role -> Text,
        disabled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deletion_due_at -> Nullable<Timestamptz>,
        email_verified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    known_devices (user_id, device_hash) {
        user_id -> Uuid,
        device_hash -> Bytea,
        first_seen_at -> Timestamptz,
        last_seen_at -> Timestamptz,
    }
}

diesel::table! {
    email_confirmations (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        email -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        csrf_token -> Text,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        hint -> Text,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        token_hash -> Bytea,
        email -> Nullable<Text>,
        role -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Uuid>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_throttle (scope, key) {
        scope -> Text,
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamptz,
    }
}

diesel::table! {
    photos (id) {
        id -> Uuid,
        owner_id -> Uuid,
        status -> Text,
        failure_reason -> Nullable<Text>,
        format -> Text,
        size_bytes -> BigInt,
        sha256 -> Bytea,
        width -> Integer,
        height -> Integer,
        orientation -> SmallInt,
        taken_at -> Nullable<Timestamp>,
        camera -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        altitude_m -> Nullable<Double>,
        caption -> Nullable<Text>,
        original_name -> Nullable<Text>,
        sort_at -> Timestamp,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        shared_original -> Text,
        shared_original_size -> Nullable<BigInt>,
        shared_original_sha256 -> Nullable<Bytea>,
    }
}

diesel::table! {
    photo_variants (photo_id, kind) {
        photo_id -> Uuid,
        kind -> Text,
        format -> Text,
        width -> Integer,
        height -> Integer,
        size_bytes -> BigInt,
        sha256 -> Bytea,
    }
}

diesel::table! {
    albums (id) {
        id -> Uuid,
        owner_id -> Uuid,
        title -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        cover_photo_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        revision -> BigInt,
        photo_count -> BigInt,
        first_photo_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        state -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamptz,
        dedup_key -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamptz>,
        lease_token -> Nullable<Uuid>,
    }
}

diesel::table! {
    album_photos (album_id, photo_id) {
        album_id -> Uuid,
        photo_id -> Uuid,
        position -> BigInt,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    share_links (id) {
        id -> Uuid,
        album_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    schedule_slots (task, slot) {
        task -> Text,
        slot -> Timestamptz,
        job_id -> Nullable<Uuid>,
        claimed_at -> Timestamptz,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Uuid,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(email_confirmations -> users (user_id));
diesel::joinable!(known_devices -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(photo_variants -> photos (photo_id));
diesel::joinable!(album_photos -> photos (photo_id));
diesel::joinable!(album_photos -> albums (album_id));
diesel::joinable!(share_links -> albums (album_id));
diesel::joinable!(data_exports -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    data_exports,
    users,
    sessions,
    api_tokens,
    invitations,
    login_throttle,
    photos,
    photo_variants,
    albums,
    album_photos,
    share_links,
    jobs,
    schedule_slots,
    mail_outbox,
    password_resets,
    email_confirmations,
    known_devices
);
