//! The house rules of `src/lib.rs`: every `crate::` path in `src/` points to a lower level
//! of the table written there (pure modules: to levels 0 and 1 only), and only `store`
//! speaks SQL (names the database drivers).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A module's place in the table.
#[derive(Debug, Clone, Copy)]
struct Place {
    level: u32,
    pure: bool,
}

/// Reads the `//! | level | modules |` rows of `src/lib.rs`.
fn layer_table(lib: &str) -> HashMap<String, Place> {
    let mut table = HashMap::new();
    for line in lib.lines() {
        let Some(row) = line.strip_prefix("//! | ") else {
            continue;
        };
        let mut cells = row.split('|').map(str::trim);
        let Some(Ok(level)) = cells.next().map(str::parse::<u32>) else {
            continue;
        };
        for module in cells.next().unwrap_or_default().split(',') {
            let module = module.trim();
            let (name, pure) = match module.strip_suffix("(pure)") {
                Some(name) => (name.trim(), true),
                None => (module, false),
            };
            table.insert(name.to_string(), Place { level, pure });
        }
    }
    table
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The text with `//` comments blanked out (same length, so offsets keep their lines).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => format!("{}{}", &line[..at], " ".repeat(line.len() - at)),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `(line, top-level module)` named by a `crate::` path, including each member of a
/// `crate::{a, b::c}` group.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut search = 0;
    while let Some(offset) = code[search..].find("crate::") {
        let at = search + offset;
        search = at + "crate::".len();
        let rest = &code[search..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut start) = (0, 0);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        push_name(&group[start..i], line_of(search + 1 + start), &mut found);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_name(&group[start..i], line_of(search + 1 + start), &mut found);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            push_name(rest, line_of(at), &mut found);
        }
    }
    found
}

fn push_name(path: &str, line: usize, found: &mut Vec<(usize, String)>) {
    let trimmed = path.trim_start();
    let line = line + path[..path.len() - trimmed.len()].matches('\n').count();
    let name: String = trimmed
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() && name != "self" {
        found.push((line, name));
    }
}

/// Every import in `src/` that breaks the table, as `file:line: …`.
fn upward_imports(src: &Path) -> Vec<String> {
    let table = layer_table(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    assert!(
        table.len() > 10,
        "src/lib.rs lost its layer table: {table:?}"
    );
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let shown = format!("src/{}", relative.display());
        let Some(from) = table.get(&module) else {
            problems.push(format!("{shown}: module `{module}` is not in the layer table of src/lib.rs; add it to a level"));
            continue;
        };
        let code = without_comments(&std::fs::read_to_string(&file).unwrap());
        for (line, target) in crate_paths(&code) {
            if target == module {
                continue;
            }
            let Some(to) = table.get(&target) else {
                problems.push(format!(
                    "{shown}:{line}: `crate::{target}` is not a module of the layer table"
                ));
                continue;
            };
            let upward = to.level >= from.level;
            let impure = from.pure && to.level > 1;
            if upward || impure {
                let mut problem = format!(
                    "{shown}:{line}: `{module}` (level {}) uses `crate::{target}` (level {})",
                    from.level, to.level
                );
                if impure && !upward {
                    let _ = write!(problem, ", but `{module}` is pure: levels 0 and 1 only");
                }
                problems.push(problem);
            }
        }
    }
    problems
}

#[test]
fn no_module_imports_from_a_level_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = upward_imports(&src);
    assert!(
        problems.is_empty(),
        "imports against the layers of src/lib.rs (move the item down, or pass it in):\n{}",
        problems.join("\n")
    );
}

/// `file:line` of every use of a database driver (`sqlx`, `rusqlite`) outside `src/store/`.
fn sql_outside_the_store(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        if file.starts_with(src.join("store")) {
            continue;
        }
        let code = without_comments(&std::fs::read_to_string(&file).unwrap());
        for (index, line) in code.lines().enumerate() {
            if line.contains("sqlx::") || line.contains("rusqlite::") {
                let shown = file.strip_prefix(src.parent().unwrap()).unwrap().display();
                problems.push(format!("{shown}:{}: {}", index + 1, line.trim()));
            }
        }
    }
    problems
}

#[test]
fn only_the_store_speaks_sql() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = sql_outside_the_store(&src);
    assert!(
        problems.is_empty(),
        "SQL outside src/store/ (add a Store method for it):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reader_finds_grouped_and_inline_paths_on_their_lines() {
    let code = "use crate::config::Locale;\nuse crate::{\n    domain::Window,\n    store::{Store, StoreError},\n};\nfn f() { crate::render::x(); }\n// crate::app in a comment\n";
    let found = crate_paths(&without_comments(code));
    assert_eq!(
        found,
        [
            (1, "config".to_string()),
            (3, "domain".to_string()),
            (4, "store".to_string()),
            (6, "render".to_string()),
        ]
    );
}

#[test]
fn the_table_marks_pure_modules() {
    let table = layer_table("//! | 3 | indicators (pure), gupshup |\n//! | 0 | config |\n");
    assert!(table["indicators"].pure);
    assert!(!table["gupshup"].pure);
    assert_eq!(table["config"].level, 0);
}
