//! `deploy/container/Containerfile` must build the image `cargo xtask image`
//! builds: same user, working directory, port, stop signal, entrypoint,
//! command, environment, label keys, and the same files in the same places.
//! The tests below read the Containerfile's instructions and compare them
//! with [`super::runtime`] and [`super::layout`].

use std::collections::BTreeMap;

/// One instruction: its keyword (upper case) and its arguments, with
/// continuation lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Instruction {
    keyword: String,
    arguments: String,
}

/// The instructions of a Containerfile, comments dropped.
fn parse(text: &str) -> Vec<Instruction> {
    let mut instructions = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (pending.is_empty() && trimmed.is_empty()) {
            continue;
        }
        if let Some(continued) = trimmed.strip_suffix('\\') {
            pending.push_str(continued);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        let (keyword, arguments) = pending
            .split_once(char::is_whitespace)
            .unwrap_or((pending.as_str(), ""));
        instructions.push(Instruction {
            keyword: keyword.to_uppercase(),
            arguments: arguments.trim().to_owned(),
        });
        pending.clear();
    }
    instructions
}

/// `key=value` pairs of an ENV or LABEL instruction (values may be quoted).
fn pairs(arguments: &str) -> BTreeMap<String, String> {
    let mut pairs = BTreeMap::new();
    let mut rest = arguments.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim().to_owned();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            (
                quoted[..end].to_owned(),
                quoted.get(end + 1..).unwrap_or(""),
            )
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_owned(), &after[end..])
        };
        pairs.insert(key, value);
        rest = remaining.trim();
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::layout;
    use serde_json::Value;

    fn containerfile() -> String {
        let path = crate::project::root().join("deploy/container/Containerfile");
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    /// The global ARG defaults and the instructions of each stage.
    fn stages(text: &str) -> (BTreeMap<String, String>, Vec<Vec<Instruction>>) {
        let mut globals = BTreeMap::new();
        let mut stages: Vec<Vec<Instruction>> = Vec::new();
        for instruction in parse(text) {
            if instruction.keyword == "FROM" {
                stages.push(Vec::new());
            }
            match stages.last_mut() {
                Some(stage) => stage.push(instruction),
                None if instruction.keyword == "ARG" => {
                    globals.extend(pairs(&instruction.arguments));
                }
                None => {}
            }
        }
        (globals, stages)
    }

    fn substitute(text: &str, args: &BTreeMap<String, String>) -> String {
        args.iter().fold(text.to_owned(), |text, (name, value)| {
            text.replace(&format!("${{{name}}}"), value)
        })
    }

    fn single<'a>(stage: &'a [Instruction], keyword: &str) -> &'a str {
        let found: Vec<_> = stage.iter().filter(|i| i.keyword == keyword).collect();
        assert_eq!(found.len(), 1, "the final stage must have one {keyword}");
        &found[0].arguments
    }

    #[test]
    fn instructions_are_parsed_with_continuations_and_quotes() {
        let parsed = parse("# comment\nFROM x AS y\nENV A=1 \\\n    B=\"two words\"\n");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].keyword, "ENV");
        let env = pairs(&parsed[1].arguments);
        assert_eq!(env["A"], "1");
        assert_eq!(env["B"], "two words");
    }

    #[test]
    fn the_containerfile_runs_what_xtask_image_runs() {
        let (globals, stages) = stages(&containerfile());
        let last = stages.last().expect("a FROM");
        assert_eq!(last[0].arguments, "scratch", "the image has no base image");
        let pg_major: u32 = globals["PG_MAJOR"].parse().unwrap();
        let runtime = crate::image::runtime(pg_major, &serde_json::Map::new());

        assert_eq!(single(last, "USER"), runtime["User"].as_str().unwrap());
        assert_eq!(
            single(last, "WORKDIR"),
            runtime["WorkingDir"].as_str().unwrap()
        );
        assert_eq!(
            single(last, "STOPSIGNAL"),
            runtime["StopSignal"].as_str().unwrap()
        );
        let exposed: Vec<&str> = runtime["ExposedPorts"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(vec![single(last, "EXPOSE")], exposed);
        let entrypoint: Value = serde_json::from_str(single(last, "ENTRYPOINT")).unwrap();
        assert_eq!(entrypoint, runtime["Entrypoint"]);
        let cmd: Value = serde_json::from_str(single(last, "CMD")).unwrap();
        assert_eq!(cmd, runtime["Cmd"]);

        let env = pairs(&substitute(single(last, "ENV"), &globals));
        let expected: BTreeMap<String, String> = layout::env(pg_major).into_iter().collect();
        assert_eq!(env, expected);

        let labels = pairs(single(last, "LABEL"));
        let keys: Vec<&str> = labels.keys().map(String::as_str).collect();
        let mut expected_keys = layout::LABELS.to_vec();
        expected_keys.sort_unstable();
        assert_eq!(keys, expected_keys);
        let manifest = std::fs::read_to_string(crate::project::root().join("Cargo.toml")).unwrap();
        for (label, field) in [
            ("org.opencontainers.image.source", "repository"),
            ("org.opencontainers.image.licenses", "license"),
        ] {
            let line = format!("{field} = \"{}\"", labels[label]);
            assert!(
                manifest.contains(&line),
                "{label} differs from Cargo.toml's {field}"
            );
        }
    }

    #[test]
    fn the_containerfile_lays_out_the_same_files() {
        let text = containerfile();
        let (globals, stages) = stages(&text);
        let rootfs = stages
            .iter()
            .find(|stage| stage[0].arguments.ends_with(" AS rootfs"))
            .expect("a stage named rootfs");
        let run = rootfs
            .iter()
            .filter(|i| i.keyword == "RUN")
            .map(|i| {
                substitute(&i.arguments, &globals).replace("${PG_MAJOR}", &globals["PG_MAJOR"])
            })
            .collect::<Vec<_>>()
            .join("\n");
        let pg_dir = layout::pg_bin_dir(globals["PG_MAJOR"].parse().unwrap());
        assert!(
            run.contains(layout::BINARY),
            "the rootfs stage must copy {}",
            layout::BINARY
        );
        for program in layout::PG_PROGRAMS {
            let path = format!("{pg_dir}/{program}");
            assert!(run.contains(&path), "the rootfs stage must copy {path}");
        }
        assert!(run.contains(layout::CA_BUNDLE), "the CA bundle");
        assert!(run.contains("ldd"), "the shared libraries come from ldd");
        assert!(
            run.contains("chmod 1777 /out/tmp"),
            "/tmp must be writable by all"
        );

        let last = stages.last().unwrap();
        let copies: Vec<&str> = last
            .iter()
            .filter(|i| i.keyword == "COPY")
            .map(|i| i.arguments.as_str())
            .collect();
        let etc = copies
            .iter()
            .find(|copy| copy.ends_with(" /etc/"))
            .expect("a COPY into /etc/");
        for name in layout::ETC_FILES {
            assert!(
                etc.contains(&format!("deploy/container/etc/{name}")),
                "/etc/{name} must come from deploy/container/etc"
            );
        }
        let workdir = format!(
            "--chown={0}:{0} /workdir {1}",
            layout::USER_ID,
            layout::WORKDIR
        );
        assert!(
            copies.iter().any(|copy| copy.ends_with(&workdir)),
            "the working directory must belong to {}",
            layout::USER_ID
        );
    }
}
