//! Every unknown key of a scenario file, in file order, before serde reads it (serde stops
//! at the first unknown key, and not always the first in the file).
//!
//! The keys each table may hold are those of the data-transfer type serde reads it into,
//! taken from the type itself ([`fields_of`]), so this list never drifts from `dto`. Tables
//! whose keys are names (issue names, value names, party parameters) are not checked here.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::scenario_toml::dto::{
    ConstraintDto, EventDto, InteractionDto, InterpolateDto, IssueDto, IssueUtilityDto, PartyDto,
    ProtocolDto, RectangleDto, RectanglesDto, ScenarioDto, TableDto, TableEntryDto, TriangularDto,
};

/// The field names serde's derived `Deserialize` of `T` knows (what `deny_unknown_fields`
/// accepts).
fn fields_of<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    /// A deserializer that only records the fields a struct asks for.
    struct Grab(&'static [&'static str]);
    impl<'de> Deserializer<'de> for &mut Grab {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("fields recorded"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut grab = Grab(&[]);
    let _ = T::deserialize(&mut grab);
    grab.0
}

/// The shape of a table: its keys, and the tables below some of them.
struct Shape {
    fields: fn() -> &'static [&'static str],
    /// Under a key: a table, an array of tables, or a table of tables keyed by name.
    below: &'static [(&'static str, Below)],
    /// How messages name the table.
    name: &'static str,
}

#[derive(Clone, Copy)]
enum Below {
    Table(&'static Shape),
    Tables(&'static Shape),
    Named(&'static Shape),
}

const SCENARIO: Shape = Shape {
    fields: fields_of::<ScenarioDto>,
    below: &[
        ("protocol", Below::Table(&PROTOCOL)),
        ("issues", Below::Tables(&ISSUE)),
        ("constraints", Below::Tables(&CONSTRAINT)),
        ("parties", Below::Tables(&PARTY)),
        ("events", Below::Tables(&EVENT)),
    ],
    name: "the file",
};
const PROTOCOL: Shape = leaf(fields_of::<ProtocolDto>, "[protocol]");
const ISSUE: Shape = leaf(fields_of::<IssueDto>, "[[issues]]");
const CONSTRAINT: Shape = leaf(fields_of::<ConstraintDto>, "[[constraints]]");
const EVENT: Shape = leaf(fields_of::<EventDto>, "[[events]]");
const PARTY: Shape = Shape {
    fields: fields_of::<PartyDto>,
    below: &[
        ("issues", Below::Named(&ISSUE_UTILITY)),
        ("table", Below::Table(&TABLE)),
        ("rectangles", Below::Table(&RECTANGLES)),
        ("interactions", Below::Tables(&INTERACTION)),
    ],
    name: "[[parties]]",
};
const ISSUE_UTILITY: Shape = Shape {
    fields: fields_of::<IssueUtilityDto>,
    below: &[
        ("triangular", Below::Table(&TRIANGULAR)),
        ("interpolate", Below::Table(&INTERPOLATE)),
    ],
    name: "[parties.issues.NAME]",
};
const TRIANGULAR: Shape = leaf(fields_of::<TriangularDto>, "`triangular`");
const INTERPOLATE: Shape = leaf(fields_of::<InterpolateDto>, "`interpolate`");
const TABLE: Shape = Shape {
    fields: fields_of::<TableDto>,
    below: &[("outcomes", Below::Tables(&TABLE_ENTRY))],
    name: "[parties.table]",
};
const TABLE_ENTRY: Shape = leaf(fields_of::<TableEntryDto>, "a table outcome");
const RECTANGLES: Shape = Shape {
    fields: fields_of::<RectanglesDto>,
    below: &[("list", Below::Tables(&RECTANGLE))],
    name: "[parties.rectangles]",
};
const RECTANGLE: Shape = leaf(fields_of::<RectangleDto>, "a rectangle");
const INTERACTION: Shape = leaf(fields_of::<InteractionDto>, "[[parties.interactions]]");

const fn leaf(fields: fn() -> &'static [&'static str], name: &'static str) -> Shape {
    Shape {
        fields,
        below: &[],
        name,
    }
}

/// Every unknown key of `doc`, as (byte offset, message), in file order.
pub(super) fn unknown_keys(doc: &DeTable<'_>) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    walk(doc, &SCENARIO, &mut found);
    found.sort_by_key(|(at, _)| *at);
    found
}

fn walk(table: &DeTable<'_>, shape: &Shape, found: &mut Vec<(usize, String)>) {
    let fields = (shape.fields)();
    for (key, value) in table {
        let name: &str = key.get_ref();
        if !fields.contains(&name) {
            found.push((key.span().start, unknown(name, shape.name, fields)));
            continue;
        }
        let Some((_, below)) = shape.below.iter().find(|(k, _)| *k == name) else {
            continue;
        };
        match (*below, value.get_ref()) {
            (Below::Table(s), DeValue::Table(t)) => walk(t, s, found),
            (Below::Tables(s), DeValue::Array(items)) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        walk(t, s, found);
                    }
                }
            }
            (Below::Named(s), DeValue::Table(t)) => {
                for (_, v) in t {
                    if let DeValue::Table(t) = Spanned::get_ref(v) {
                        walk(t, s, found);
                    }
                }
            }
            // A value of the wrong type: serde says so.
            _ => {}
        }
    }
}

/// The message for key `name`, unknown in table `table` which knows `fields`.
fn unknown(name: &str, table: &str, fields: &[&str]) -> String {
    let known: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    let mut message = format!(
        "unknown field `{name}` in {table}, expected one of {}",
        known.join(", ")
    );
    if let Some(near) = fields
        .iter()
        .filter(|f| strsim::damerau_levenshtein(name, f) <= 2.max(name.len() / 4))
        .min_by_key(|f| strsim::damerau_levenshtein(name, f))
    {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_from_the_types() {
        assert_eq!(fields_of::<TriangularDto>(), &["lower", "top", "upper"][..]);
        assert!(fields_of::<PartyDto>().contains(&"reservation"));
        assert!(fields_of::<ScenarioDto>().contains(&"issues"));
    }

    #[test]
    fn every_unknown_key_in_file_order_with_suggestions() {
        let text = "format = 1\nname = \"t\"\ncolour = 1\n[protocol]\nrounds = 3\nrouns = 4\n\
                    [[issues]]\nname = \"x\"\nvalue = [\"a\"]\n[[parties]]\nname = \"A\"\n\
                    fallback = 0.2\n[parties.issues.x]\nweight = 1\nscore = [1]\n\
                    triangular = { lower = 0, top = 1, upper = 2, peak = 1 }\n";
        let doc = DeTable::parse(text).unwrap();
        let found = unknown_keys(doc.get_ref());
        let names: Vec<&str> = found
            .iter()
            .map(|(at, _)| &text[*at..text[*at..].find([' ', '=']).map_or(text.len(), |e| at + e)])
            .collect();
        assert_eq!(
            names,
            ["colour", "rouns", "value", "fallback", "score", "peak"]
        );
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert!(
            messages[1].ends_with("did you mean `rounds`?"),
            "{}",
            messages[1]
        );
        assert!(
            messages[2].ends_with("did you mean `values`?"),
            "{}",
            messages[2]
        );
        assert!(messages[3].contains("in [[parties]], expected one of"));
        assert!(!messages[3].contains("did you mean"), "{}", messages[3]);
        assert!(
            messages[4].ends_with("did you mean `scores`?"),
            "{}",
            messages[4]
        );
    }
}
