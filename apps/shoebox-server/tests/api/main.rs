//! End-to-end tests: the real binary's object graph on a real PostgreSQL
//! database (a fresh one per test), driven over HTTP on 127.0.0.1, and the
//! real `shoebox` executable for the operational subcommands.

mod accounts;
mod admin;
mod albums;
mod auth;
mod authorization;
mod backups;
mod cli;
mod crash;
mod email;
mod exports;
mod helpers;
mod invitations;
mod jobs;
mod listings;
mod mail;
mod notices;
mod originals;
mod photos;
mod privacy;
