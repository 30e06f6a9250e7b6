//! A compact element tree built from quick-xml events, for reading GENIUS files.
//!
//! Only elements and their attributes are kept (GENIUS reads nothing else); every element
//! remembers the byte offset of its start tag so errors can point at a line and column.
//! Entity references other than the five predefined ones and character references are
//! never expanded, and a document type declaration that declares entities is refused.
//!
//! The tree is an arena: elements and attributes are small fixed-size records in two vectors,
//! and names and values are byte ranges of the text (only a value that unescaping changed is
//! stored apart). A profile of a million `<item>`s then takes about 80 bytes per item besides
//! its text. [`Element`] is a copyable handle into the arena.

use std::borrow::Cow;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{FormatError, Result, line_column};

/// Deepest element nesting accepted (GENIUS files nest a handful of levels).
const MAX_DEPTH: usize = 256;

/// No element: the end of a child list.
const NONE: u32 = u32::MAX;

/// A string of the document: a byte range of the text, or (when `len` is [`NONE`]) the
/// `start`-th string stored apart.
#[derive(Debug, Clone, Copy)]
struct Str {
    start: u32,
    len: u32,
}

/// One element of the arena.
#[derive(Debug, Clone, Copy)]
struct Node {
    name: Str,
    /// Byte offset of the `<` of its start tag.
    offset: u32,
    /// Its attributes: `attrs[first_attr..end_attr]`.
    first_attr: u32,
    end_attr: u32,
    first_child: u32,
    next_sibling: u32,
}

/// A parsed document: its text (for line numbers) and its elements.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub text: String,
    nodes: Vec<Node>,
    /// Attribute names and values, in document order.
    attrs: Vec<(Str, Str)>,
    /// Strings that are not a range of the text (attribute values unescaping changed).
    apart: Vec<String>,
    root: u32,
}

impl Document {
    /// The root element.
    pub fn root(&self) -> Element<'_> {
        self.element(self.root)
    }

    fn element(&self, id: u32) -> Element<'_> {
        let node = &self.nodes[id as usize];
        Element {
            doc: self,
            id,
            name: self.str(node.name),
            offset: node.offset as usize,
        }
    }

    fn str(&self, s: Str) -> &str {
        if s.len == NONE {
            &self.apart[s.start as usize]
        } else {
            &self.text[s.start as usize..(s.start + s.len) as usize]
        }
    }
}

/// One XML element: a handle giving its name, attributes (in document order) and child
/// elements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'d> {
    doc: &'d Document,
    id: u32,
    /// The tag name.
    pub name: &'d str,
    /// Byte offset of the `<` of its start tag.
    pub offset: usize,
}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node {
        &self.doc.nodes[self.id as usize]
    }

    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&'d str> {
        let n = self.node();
        self.doc.attrs[n.first_attr as usize..n.end_attr as usize]
            .iter()
            .find(|(k, _)| self.doc.str(*k) == name)
            .map(|(_, v)| self.doc.str(*v))
    }

    /// The direct children, in document order.
    pub fn children(&self) -> impl Iterator<Item = Element<'d>> + 'd {
        let doc = self.doc;
        let mut next = self.node().first_child;
        std::iter::from_fn(move || {
            (next != NONE).then(|| {
                let el = doc.element(next);
                next = doc.nodes[next as usize].next_sibling;
                el
            })
        })
    }

    /// Whether it has child elements.
    pub fn has_children(&self) -> bool {
        self.node().first_child != NONE
    }

    /// Direct children with this tag name, in document order.
    pub fn children_named<'a>(&self, name: &'a str) -> impl Iterator<Item = Element<'d>> + 'a
    where
        'd: 'a,
    {
        self.children().filter(move |c| c.name == name)
    }

    /// The first direct child with this tag name.
    pub fn child(&self, name: &str) -> Option<Element<'d>> {
        self.children().find(|c| c.name == name)
    }
}

fn at(path: &Path, text: &str, offset: usize, message: String) -> FormatError {
    let (line, column) = line_column(text, offset);
    FormatError::At {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Where `bytes` lies in `text`, if it is a slice of it.
fn range_in(text: &str, bytes: &[u8]) -> Option<Str> {
    let start = (bytes.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(bytes.len())?;
    (end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end))
        .then_some(())?;
    Some(Str {
        start: u32::try_from(start).ok()?,
        len: u32::try_from(bytes.len()).ok().filter(|&l| l != NONE)?,
    })
}

/// Decodes file bytes: UTF-8 (a BOM is dropped), or else ISO-8859-1, which some old GENIUS
/// files use. Returns the text and whether the fallback was used. UTF-8 bytes become the
/// text without a copy.
pub(crate) fn decode(mut bytes: Vec<u8>) -> (String, bool) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (
            e.into_bytes().iter().map(|&b| char::from(b)).collect(),
            true,
        ),
    }
}

/// Decodes borrowed file bytes as [`decode`] does (a copy only for ISO-8859-1). Of the start
/// of a file (`head`), a UTF-8 sequence cut off at the end is dropped.
pub(crate) fn decode_ref(bytes: &[u8], head: bool) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) if head && e.error_len().is_none() => {
            Cow::Borrowed(std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// The start of a document, enough to tell a GENIUS domain from a profile without building
/// its tree: the root element, and what the scan of its elements found before it could stop.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    /// The root element's name.
    pub root: String,
    /// Byte offset of the root's start tag.
    pub offset: usize,
    /// The root's `type` attribute.
    pub root_type: Option<String>,
    /// Some element is one only profiles hold: `<weight>`, `<utility>`, `<evaluator>`, or an
    /// `<item>` with an `evaluation`.
    pub profile_element: bool,
    /// The root has an `<objective>` child.
    pub objective_child: bool,
}

/// Scans `text`'s elements until what it is is known: a root other than `<utility_space>`,
/// a non-linear profile, or the first element only profiles hold (else the whole file).
pub(crate) fn outline(path: &Path, text: &str) -> Result<Outline> {
    scan(path, text).map(|(outline, _)| outline)
}

/// The outline of a document from its start (`head`, a prefix of the file), when the scan
/// could tell before reaching the end of it; `None` when the rest of the file is needed.
pub(crate) fn outline_head(path: &Path, head: &str) -> Option<Outline> {
    match scan(path, head) {
        Ok((outline, true)) => Some(outline),
        _ => None,
    }
}

/// The outline of `text`, and whether the scan stopped before its end (what the file is was
/// known by then, whatever follows).
fn scan(path: &Path, text: &str) -> Result<(Outline, bool)> {
    let mut decided = false;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut out: Option<Outline> = None;
    let mut depth = 0usize;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|err| {
            let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            at(path, text, pos, format!("not well-formed XML: {err}"))
        })?;
        let (e, opens) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let attr = |key: &str| {
            e.try_get_attribute(key)
                .ok()
                .flatten()
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        };
        match &mut out {
            None => {
                let root_type = attr("type");
                let done = name != "utility_space"
                    || root_type
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case("nonlinear"));
                out = Some(Outline {
                    root: name,
                    offset,
                    root_type,
                    ..Outline::default()
                });
                if done {
                    decided = true;
                    break;
                }
            }
            Some(o) => {
                if matches!(name.as_str(), "weight" | "utility" | "evaluator")
                    || (name == "item" && attr("evaluation").is_some())
                {
                    o.profile_element = true;
                    decided = true;
                    break;
                }
                o.objective_child |= depth == 1 && name == "objective";
            }
        }
        depth += usize::from(opens);
    }
    let outline = out.ok_or_else(|| FormatError::Unrecognised {
        path: path.to_path_buf(),
        message: "the file holds no XML element".into(),
    })?;
    Ok((outline, decided))
}

/// Parses a whole document into an element tree.
pub(crate) fn parse(path: &Path, text: String) -> Result<Document> {
    if u32::try_from(text.len()).is_err() {
        return Err(FormatError::Unrecognised {
            path: path.to_path_buf(),
            message: "the file is larger than 4 GiB".into(),
        });
    }
    // Every element starts with `<` and every attribute has a `=`: enough room for all.
    let count = |c: u8| memchr::memchr_iter(c, text.as_bytes()).count();
    let mut tree = Tree {
        path,
        text: &text,
        nodes: Vec::with_capacity(count(b'<')),
        attrs: Vec::with_capacity(count(b'=')),
        apart: Vec::new(),
        stack: Vec::new(),
        root: None,
    };
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(err) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(tree.err(pos, format!("not well-formed XML: {err}")));
            }
        };
        match event {
            Event::Start(e) => tree.element(&e, &reader, offset, true)?,
            Event::Empty(e) => tree.element(&e, &reader, offset, false)?,
            Event::End(_) => tree.close(offset)?,
            Event::DocType(d) => {
                let body = String::from_utf8_lossy(d.as_ref()).to_ascii_uppercase();
                if body.contains("<!ENTITY") {
                    return Err(tree.err(
                        offset,
                        "the document type declaration declares entities; detente does not expand entities, so it refuses such files".into(),
                    ));
                }
            }
            Event::GeneralRef(_) | Event::Text(_) | Event::CData(_) => {
                // Character data is never read by GENIUS; entity references in it are not
                // expanded.
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    let root = tree.finish()?;
    let (nodes, attrs, apart) = (tree.nodes, tree.attrs, tree.apart);
    Ok(Document {
        text,
        nodes,
        attrs,
        apart,
        root,
    })
}

/// The element tree being built: the arena, the open elements (each with its last child so
/// far), and the root once it has started.
struct Tree<'a> {
    path: &'a Path,
    text: &'a str,
    nodes: Vec<Node>,
    attrs: Vec<(Str, Str)>,
    apart: Vec<String>,
    stack: Vec<(u32, u32)>,
    root: Option<u32>,
}

impl Tree<'_> {
    fn err(&self, offset: usize, message: String) -> FormatError {
        at(self.path, self.text, offset, message)
    }

    /// A string of the text, or stored apart when it is not a range of it.
    fn store(&mut self, bytes: &[u8]) -> Str {
        range_in(self.text, bytes).unwrap_or_else(|| {
            self.apart.push(String::from_utf8_lossy(bytes).into_owned());
            Str {
                start: (self.apart.len() - 1) as u32,
                len: NONE,
            }
        })
    }

    /// A start tag (`open`: it stays open until its end tag) or an empty element.
    fn element(
        &mut self,
        e: &BytesStart<'_>,
        reader: &Reader<&[u8]>,
        offset: usize,
        open: bool,
    ) -> Result<()> {
        let name_bytes = e.name();
        let shown = || String::from_utf8_lossy(name_bytes.as_ref()).into_owned();
        if self.root.is_some() && self.stack.is_empty() {
            return Err(self.err(
                offset,
                format!("<{}> after the root element has ended", shown()),
            ));
        }
        if open && self.stack.len() >= MAX_DEPTH {
            return Err(self.err(
                offset,
                format!("elements nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        let name = self.store(name_bytes.as_ref());
        let first_attr = self.attrs.len() as u32;
        for a in e.attributes() {
            let a = a.map_err(|err| {
                self.err(offset, format!("<{}>: malformed attribute: {err}", shown()))
            })?;
            let key = self.store(a.key.as_ref());
            if !a.value.contains(&b'&') {
                // Nothing to unescape: the value is the text between the quotes.
                let value = self.store(&a.value);
                self.attrs.push((key, value));
                continue;
            }
            let value = a.decode_and_unescape_value(reader.decoder()).map_err(|err| {
                let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                self.err(offset, format!("<{}> attribute `{key}`: {err} (only the predefined XML entities are expanded)", shown()))
            })?;
            let value = match value {
                std::borrow::Cow::Borrowed(v) => self.store(v.as_bytes()),
                std::borrow::Cow::Owned(v) => {
                    self.apart.push(v);
                    Str {
                        start: (self.apart.len() - 1) as u32,
                        len: NONE,
                    }
                }
            };
            self.attrs.push((key, value));
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            name,
            offset: offset as u32,
            first_attr,
            end_attr: self.attrs.len() as u32,
            first_child: NONE,
            next_sibling: NONE,
        });
        self.attach(id);
        if open {
            self.stack.push((id, NONE));
        }
        Ok(())
    }

    /// Adds element `id` as the last child of the open element, or makes it the root.
    fn attach(&mut self, id: u32) {
        match self.stack.last_mut() {
            Some((parent, last)) => {
                if *last == NONE {
                    self.nodes[*parent as usize].first_child = id;
                } else {
                    self.nodes[*last as usize].next_sibling = id;
                }
                *last = id;
            }
            None => self.root = Some(id),
        }
    }

    /// An end tag at `offset`: closes the innermost open element.
    fn close(&mut self, offset: usize) -> Result<()> {
        if self.stack.pop().is_none() {
            return Err(self.err(offset, "closing tag without an opening tag".into()));
        }
        Ok(())
    }

    /// The root, once every element is closed.
    fn finish(&self) -> Result<u32> {
        if let Some(&(open, _)) = self.stack.last() {
            let node = self.nodes[open as usize];
            let name = if node.name.len == NONE {
                self.apart[node.name.start as usize].clone()
            } else {
                self.text[node.name.start as usize..(node.name.start + node.name.len) as usize]
                    .to_string()
            };
            return Err(self.err(node.offset as usize, format!("<{name}> is never closed")));
        }
        self.root.ok_or_else(|| FormatError::Unrecognised {
            path: self.path.to_path_buf(),
            message: "the file holds no XML element".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document> {
        parse(Path::new("t.xml"), text.to_string())
    }

    #[test]
    fn builds_the_tree_with_offsets() {
        let d = doc("\n\n<a x=\"1 &amp; 2\" w='v'><b/><c><b y='z'/></c><d/></a>").unwrap();
        let root = d.root();
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.attr("w"), Some("v"));
        assert_eq!(root.attr("y"), None);
        let names: Vec<&str> = root.children().map(|c| c.name).collect();
        assert_eq!(names, ["b", "c", "d"]);
        assert_eq!(root.children_named("b").count(), 1);
        let c = root.child("c").unwrap();
        assert_eq!(c.children().next().unwrap().attr("y"), Some("z"));
        assert_eq!(line_column(&d.text, root.offset), (3, 1));
        assert_eq!(line_column(&d.text, c.offset), (3, 28));
    }

    #[test]
    fn refuses_entities_and_broken_documents() {
        let e = doc("<!DOCTYPE a [<!ENTITY x \"boom\">]><a v=\"&x;\"/>")
            .unwrap_err()
            .to_string();
        assert!(e.contains("entities"), "{e}");
        assert!(doc("<a v=\"&x;\"/>").is_err());
        assert!(doc("<a><b></a>").is_err());
        assert!(doc("<a>").is_err());
        assert!(doc("<a/><b/>").is_err());
        assert!(doc("   ").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(doc(&deep).unwrap_err().to_string().contains("deeper"));
    }

    #[test]
    fn decodes_bom_and_latin1() {
        assert_eq!(
            decode(b"\xEF\xBB\xBF<a/>".to_vec()),
            ("<a/>".to_string(), false)
        );
        assert_eq!(
            decode(b"<a v=\"caf\xE9\"/>".to_vec()),
            ("<a v=\"caf\u{e9}\"/>".to_string(), true)
        );
    }
}
