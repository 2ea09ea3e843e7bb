//! The `BlobStore` contract, run against every kind of store: memory, a
//! local directory, and S3 (moto on 127.0.0.1); plus what only one kind of
//! store does.

mod checks;
mod local;
mod s3;
mod support;

use std::any::Any;

use shoebox_object_store::{ObjectStoreBlobStore, StorageSettings};
use shoebox_test_support::S3Server;

/// A store for one test, with whatever must outlive it (a directory, a
/// bucket on a server).
struct Fixture {
    store: ObjectStoreBlobStore,
    _keep: Box<dyn Any>,
}

fn memory() -> Fixture {
    Fixture {
        store: ObjectStoreBlobStore::in_memory(),
        _keep: Box::new(()),
    }
}

fn local() -> Fixture {
    let directory = tempfile::tempdir().unwrap();
    let url = format!("file://{}", directory.path().display());
    Fixture {
        store: ObjectStoreBlobStore::from_settings(&StorageSettings::new(url)).unwrap(),
        _keep: Box::new(directory),
    }
}

fn s3() -> Fixture {
    let server = S3Server::start();
    Fixture {
        store: ObjectStoreBlobStore::from_settings(&server.settings()).unwrap(),
        _keep: Box::new(server),
    }
}

/// One test per check for one kind of store.
macro_rules! contract_for {
    ($kind:ident; $($check:ident),* $(,)?) => {
        mod $kind {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let fixture = crate::$kind();
                    crate::checks::$check(&fixture.store).await;
                }
            )*
        }
    };
}

/// Every check of the contract, for one kind of store.
macro_rules! contract {
    ($kind:ident) => {
        contract_for!(
            $kind;
            put_get_head_round_trip,
            streamed_write_of_12_mib_in_64_kib_chunks,
            nothing_is_visible_before_finish,
            an_overwrite_shows_the_old_object_until_finish,
            abort_leaves_nothing,
            an_aborted_overwrite_keeps_the_old_object,
            put_overwrites,
            ranges_read_exactly_the_requested_bytes,
            ranges_that_do_not_fit_are_errors_not_panics,
            missing_objects_are_not_found,
            delete_is_idempotent,
            list_is_recursive_by_whole_segments,
            delete_prefix_removes_everything_under_it,
            deeply_nested_keys_work,
            empty_objects_round_trip,
            large_chunks_and_tiny_chunks_mix,
        );
    };
}

mod contract {
    contract!(memory);
    contract!(local);
    contract!(s3);
}
