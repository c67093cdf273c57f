//! Generates every fixture spec of `codegen/tests/fixtures` into `OUT_DIR`, as one module each,
//! so that building this crate proves the emitted code compiles (the snapshots show it), with
//! every tag feature on. Beside each struct it writes a `#[derive(Serialize, Deserialize)]` twin
//! from the same IR, and the shape of its JSON, for the differential test (`src/twin.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use paykit_codegen::ir::{Api, FieldAdapter, Payload, Presence, Status, TypeKind, TypeRef};
use paykit_codegen::{CrateOptions, RuntimeDependency};

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    println!("cargo::rerun-if-changed={}", fixtures.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let specs = paykit_codegen::workspace::spec_files(&fixtures).expect("codegen/tests/fixtures exists");
    let options = CrateOptions {
        crate_name: "fixture".to_owned(),
        runtime: RuntimeDependency::Workspace {
            path: "../../runtime".to_owned(),
        },
    };
    let mut modules = String::new();
    let mut structs = String::from("pub static FIXTURE_STRUCTS: &[(&str, &[twin::Struct])] = &[\n");
    for spec in specs {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture names are UTF-8")
            .to_owned();
        let label = format!("codegen/tests/fixtures/{name}.yaml");
        let api = paykit_codegen::load::load(&spec, &label)
            .and_then(|loaded| paykit_codegen::ir::build(&loaded))
            .unwrap_or_else(|e| panic!("{e}"));
        let files = paykit_codegen::emit::crate_files(&api, &options).unwrap_or_else(|e| panic!("{e}"));
        // A fixture's tag features are all on, as in its own crate by default.
        for feature in &api.features {
            println!("cargo::rustc-check-cfg=cfg(feature, values({feature:?}))");
            println!("cargo::rustc-cfg=feature={feature:?}");
        }
        let dir = out.join(&name);
        std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
        for file in files
            .iter()
            .filter(|f| ["src/types.rs", "src/client.rs", "src/mock.rs"].contains(&f.path.as_str()))
        {
            let target = dir.join(file.path.trim_start_matches("src/"));
            std::fs::write(&target, &file.contents).expect("OUT_DIR is writable");
        }
        std::fs::write(dir.join("twin.rs"), twins(&api, "super::types")).expect("OUT_DIR is writable");
        writeln!(structs, "    ({name:?}, {name}::twin::STRUCTS),").expect("writing to a String cannot fail");
        let dir = dir.display();
        writeln!(
            modules,
            "pub mod {name} {{ pub mod types {{ include!(\"{dir}/types.rs\"); }} mod client {{ include!(\"{dir}/client.rs\"); }} pub use client::*; pub mod mock {{ include!(\"{dir}/mock.rs\"); }} #[allow(dead_code, unused_imports, clippy::all)] pub mod twin {{ include!(\"{dir}/twin.rs\"); }} }}"
        )
        .expect("writing to a String cannot fail");
    }
    structs.push_str("];\n");
    std::fs::write(out.join("fixtures.rs"), modules + &structs).expect("OUT_DIR is writable");
    providers(&out);
}

/// The provider specs' twins, for the differential test on their structs, and their success
/// examples typed twice, for the decode benchmark: `providers/NAME.rs` in `OUT_DIR`.
fn providers(out: &Path) {
    let specs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    println!("cargo::rerun-if-changed={}", specs_dir.display());
    let dir = out.join("providers");
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    for spec in paykit_codegen::workspace::spec_files(&specs_dir).expect("specs/ exists") {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("spec names are UTF-8")
            .to_owned();
        let loaded = paykit_codegen::load::load(&spec, &format!("specs/{name}.yaml")).unwrap_or_else(|e| panic!("{e}"));
        let api = paykit_codegen::ir::build(&loaded).unwrap_or_else(|e| panic!("{e}"));
        let types = format!("paykit_{}::types", name.replace('-', "_"));
        let mut code = twins(&api, &types);
        code.push_str("pub static EXAMPLES: &[crate::twin::Example] = &[\n");
        for (operation, type_name, json) in examples(&api, &loaded.raw) {
            writeln!(
                code,
                "    crate::twin::Example {{ operation: {operation:?}, json: {json:?}, object: crate::twin::Codec::of::<{types}::{type_name}>(), derive: crate::twin::Codec::of::<{type_name}>() }},"
            )
            .expect("writing to a String cannot fail");
        }
        code.push_str("];\n");
        std::fs::write(dir.join(format!("{}.rs", name.replace('-', "_"))), code).expect("OUT_DIR is writable");
    }
}

/// Each success response's example whose type is a struct or a union: (operation id, type, JSON), the
/// example taken at the response's `x-paykit-unwrap` pointer.
fn examples(api: &Api, raw: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for op in &api.operations {
        for response in op.responses.iter().filter(|r| r.success) {
            let (Payload::Json(TypeRef::Named(type_name)), Status::Code(code)) = (&response.payload, &response.status)
            else {
                continue;
            };
            if !matches!(
                api.type_def(type_name).map(|d| &d.kind),
                Some(TypeKind::Struct { .. } | TypeKind::Union { .. })
            ) {
                continue;
            }
            let path = op.path_template().replace('~', "~0").replace('/', "~1");
            let method = op.http_method.as_str().to_ascii_lowercase();
            let Some(mut node) = raw.pointer(&format!("/paths/{path}/{method}/responses/{code}")) else {
                continue;
            };
            if let Some(target) = node
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| r.strip_prefix('#'))
            {
                match raw.pointer(target) {
                    Some(resolved) => node = resolved,
                    None => continue,
                }
            }
            let Some(example) = node.pointer("/content/application~1json/example") else {
                continue;
            };
            let example = match &response.unwrap {
                Some(pointer) => example.pointer(pointer),
                None => Some(example),
            };
            if let Some(example) = example {
                found.push((op.operation_id.clone(), type_name.clone(), example.to_string()));
            }
        }
    }
    found
}

/// For every struct of `api`: a twin declared with serde's derives, as serde's own attributes
/// say the wire form (rename, skip when `None`, `with` functions), named types inside it being
/// twins too; `STRUCTS` lists each with the shape of its JSON and the check of one input.
fn twins(api: &Api, types: &str) -> String {
    let mut out = format!("use {types}::*;\nuse crate::twin::Shape;\n\n");
    let mut table = String::from("pub static STRUCTS: &[crate::twin::Struct] = &[\n");
    for def in &api.types {
        let name = &def.name;
        if let TypeKind::Union { variants } = &def.kind {
            // Untagged, as generated: its options are the twins of theirs.
            let variants: Vec<String> = variants
                .iter()
                .map(|(variant, ty)| format!("{variant}({})", paykit_codegen::emit::type_text(ty)))
                .collect();
            writeln!(
                out,
                "#[derive(Debug, serde::Serialize, serde::Deserialize)]\n#[serde(untagged)]\n#[allow(clippy::large_enum_variant)]\npub enum {name} {{ {} }}\n",
                variants.join(", ")
            )
            .expect("writing to a String cannot fail");
            continue;
        }
        let TypeKind::Struct { fields, extra } = &def.kind else {
            continue;
        };
        let cfg = match def.features.as_slice() {
            [] => String::new(),
            features => format!(
                "#[cfg(any({}))]",
                features
                    .iter()
                    .map(|f| format!("feature = {f:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        writeln!(
            out,
            "{cfg}\n#[derive(Debug, serde::Serialize, serde::Deserialize)]\npub struct {name} {{"
        )
        .unwrap();
        let mut shapes = Vec::new();
        for field in fields {
            let mut ty = paykit_codegen::emit::type_text(&field.ty);
            if field.boxed {
                ty = format!("Box<{ty}>");
            }
            if field.is_option() {
                ty = format!("Option<{ty}>");
            }
            let mut serde = vec![format!("rename = {:?}", field.wire_name)];
            if field.presence == Presence::Optional {
                serde.push("skip_serializing_if = \"Option::is_none\"".to_owned());
            }
            // A missing `Option` is `None` to serde already; a `with` function needs it said.
            let option = if field.is_option() { "::option" } else { "" };
            match field.adapter {
                Some(FieldAdapter::Flag) => serde.push(format!("with = \"paykit_runtime::lenient::flag{option}\"")),
                Some(FieldAdapter::Lenient) => {
                    let function = if field.is_option() { "option" } else { "value" };
                    serde.push(format!("deserialize_with = \"paykit_runtime::lenient::{function}\""));
                }
                None => {}
            }
            if field.adapter.is_some() && field.is_option() {
                serde.push("default".to_owned());
            }
            writeln!(
                out,
                "    #[serde({})]\n    pub {}: {ty},",
                serde.join(", "),
                field.rust_name
            )
            .unwrap();
            shapes.push(format!("({:?}, {})", field.wire_name, shape(api, &field.ty)));
        }
        if let Some(extra) = extra {
            let value = paykit_codegen::emit::type_text(&extra.value);
            writeln!(
                out,
                "    #[serde(flatten)]\n    pub {}: std::collections::BTreeMap<String, {value}>,",
                extra.rust_name
            )
            .unwrap();
        }
        out.push_str("}\n\n");
        writeln!(
            table,
            "    {cfg} crate::twin::Struct {{ name: {name:?}, fields: &[{}], check: crate::twin::compare::<{types}::{name}, {name}> }},",
            shapes.join(", ")
        )
        .unwrap();
    }
    table.push_str("];\n");
    out + &table
}

/// What JSON a value of `ty` is, for generating inputs.
fn shape(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String | TypeRef::Secret => "Shape::Text".to_owned(),
        TypeRef::Bool => "Shape::Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => "Shape::Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Shape::Number".to_owned(),
        TypeRef::Vec(item) => format!("Shape::List(&{})", shape(api, item)),
        TypeRef::Map(value) => format!("Shape::Map(&{})", shape(api, value)),
        TypeRef::Optional(inner) => shape(api, inner),
        TypeRef::Named(name) => match api.type_def(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { .. }) => format!("Shape::Struct({name:?})"),
            Some(TypeKind::Enum { variants, .. }) => format!(
                "Shape::Enum(&[{}])",
                variants
                    .iter()
                    .map(|v| format!("{:?}", v.wire))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => "Shape::Any".to_owned(),
        },
        TypeRef::Json | TypeRef::File => "Shape::Any".to_owned(),
    }
}
