//! Photos: what a member uploaded, what we learned from the file, the
//! variants made from it, and who may see what of it.

mod errors;
mod objects;
mod photo;
mod text;

pub use errors::{
    DeletePhotoError, MAX_FILES_PER_UPLOAD, PhotoNotFound, UpdatePhotoError, UploadError,
    VariantJobError,
};
pub use objects::{PhotoFile, photo_object_key, photo_of_key, photos_prefix_of};
pub use photo::{
    NewPhoto, Photo, PhotoId, PhotoOrder, PhotoStatus, PhotoUpdate, PhotoVariant, Sha256Digest,
    SharedOriginal, StorageUsage,
};
pub use text::{Caption, OriginalName, TextError};

pub(crate) use text::clean_text as text_clean;
