//! The EXIF facts Shoebox keeps, read from a TIFF structure with
//! kamadak-exif. Cameras write odd EXIF (wrong counts, bad offsets, junk
//! values), so nothing here fails: what cannot be read is simply absent, and
//! the image is kept.

use chrono::{NaiveDate, NaiveDateTime};
use exif::{Exif, In, Rational, Reader, Tag, Value};
use shoebox_domain::imaging::{GeoLocation, Orientation};

/// What the EXIF block says, each field independently optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ExifMetadata {
    pub(crate) orientation: Option<Orientation>,
    pub(crate) taken_at: Option<NaiveDateTime>,
    pub(crate) make: Option<String>,
    pub(crate) model: Option<String>,
    pub(crate) location: Option<GeoLocation>,
}

/// Reads `tiff` (the EXIF payload without JPEG's "Exif\0\0" prefix).
pub(crate) fn read(tiff: Vec<u8>) -> ExifMetadata {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let parsed = reader
        .read_raw(tiff)
        .or_else(|error| error.distill_partial_result(|_ignored_errors| {}));
    let Ok(exif) = parsed else {
        return ExifMetadata::default();
    };
    ExifMetadata {
        orientation: orientation(&exif),
        taken_at: date_time(&exif, Tag::DateTimeOriginal)
            .or_else(|| date_time(&exif, Tag::DateTime)),
        make: text(&exif, Tag::Make),
        model: text(&exif, Tag::Model),
        location: location(&exif),
    }
}

fn orientation(exif: &Exif) -> Option<Orientation> {
    let value = exif
        .get_field(Tag::Orientation, In::PRIMARY)?
        .value
        .get_uint(0)?;
    Orientation::from_exif(u16::try_from(value).ok()?)
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(strings) => strings.first().map(Vec::as_slice),
        _ => None,
    }
}

fn text(exif: &Exif, tag: Tag) -> Option<String> {
    let bytes = ascii(exif, tag)?;
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!text.is_empty()).then(|| text.to_owned())
}

fn date_time(exif: &Exif, tag: Tag) -> Option<NaiveDateTime> {
    let parsed = exif::DateTime::from_ascii(ascii(exif, tag)?).ok()?;
    NaiveDate::from_ymd_opt(
        i32::from(parsed.year),
        u32::from(parsed.month),
        u32::from(parsed.day),
    )?
    .and_hms_opt(
        u32::from(parsed.hour),
        u32::from(parsed.minute),
        u32::from(parsed.second),
    )
}

fn rationals(exif: &Exif, tag: Tag) -> Option<&[Rational]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(values) => Some(values),
        _ => None,
    }
}

fn ratio(value: &Rational) -> Option<f64> {
    (value.denom != 0).then(|| value.to_f64())
}

/// Degrees, minutes and seconds, signed by the hemisphere reference.
fn coordinate(exif: &Exif, tag: Tag, reference: Tag, negative: u8, limit: f64) -> Option<f64> {
    let parts = rationals(exif, tag)?;
    let [degrees, minutes, seconds] = parts.get(..3)? else {
        return None;
    };
    let magnitude = ratio(degrees)? + ratio(minutes)? / 60.0 + ratio(seconds)? / 3600.0;
    let sign = match ascii(exif, reference)?.first()?.to_ascii_uppercase() {
        letter if letter == negative => -1.0,
        _ => 1.0,
    };
    let value = sign * magnitude;
    (value.is_finite() && value.abs() <= limit).then_some(value)
}

fn location(exif: &Exif) -> Option<GeoLocation> {
    let latitude = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S', 90.0)?;
    let longitude = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W', 180.0)?;
    // Phones without a fix write 0/0; a photo taken exactly there is unlikely.
    if latitude == 0.0 && longitude == 0.0 {
        return None;
    }
    let below_sea_level = exif
        .get_field(Tag::GPSAltitudeRef, In::PRIMARY)
        .and_then(|field| field.value.get_uint(0))
        == Some(1);
    let altitude_m = rationals(exif, Tag::GPSAltitude)
        .and_then(|values| ratio(values.first()?))
        .filter(|altitude| altitude.is_finite())
        .map(|altitude| if below_sea_level { -altitude } else { altitude });
    Some(GeoLocation {
        latitude,
        longitude,
        altitude_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::{SampleExif, SampleGps, tiff};

    #[test]
    fn reads_every_field_shoebox_keeps() {
        let sample = SampleExif {
            orientation: Some(Orientation::Rotate90),
            taken_at: NaiveDate::from_ymd_opt(2024, 7, 14)
                .and_then(|date| date.and_hms_opt(16, 5, 9)),
            make: Some("FUJIFILM".to_owned()),
            model: Some("X100V".to_owned()),
            gps: Some(SampleGps {
                latitude: -33.8568,
                longitude: 151.2153,
                altitude_m: Some(-12.5),
            }),
        };
        let metadata = read(tiff::exif(&sample));
        assert_eq!(metadata.orientation, Some(Orientation::Rotate90));
        assert_eq!(metadata.taken_at, sample.taken_at);
        assert_eq!(metadata.make.as_deref(), Some("FUJIFILM"));
        assert_eq!(metadata.model.as_deref(), Some("X100V"));
        let location = metadata.location.unwrap();
        assert!((location.latitude + 33.8568).abs() < 1e-6, "{location:?}");
        assert!((location.longitude - 151.2153).abs() < 1e-6, "{location:?}");
        assert!((location.altitude_m.unwrap() + 12.5).abs() < 1e-6);
    }

    #[test]
    fn malformed_exif_means_no_metadata() {
        assert_eq!(
            read(b"II*\0\xff\xff\xff\x7f".to_vec()),
            ExifMetadata::default()
        );
        assert_eq!(read(Vec::new()), ExifMetadata::default());
        let mut cut = tiff::exif(&SampleExif::default());
        cut.truncate(cut.len() / 2);
        let metadata = read(cut);
        assert_eq!(metadata.location, None);
    }

    #[test]
    fn null_island_is_no_location() {
        let sample = SampleExif {
            gps: Some(SampleGps {
                latitude: 0.0,
                longitude: 0.0,
                altitude_m: None,
            }),
            ..SampleExif::default()
        };
        assert_eq!(read(tiff::exif(&sample)).location, None);
    }
}
