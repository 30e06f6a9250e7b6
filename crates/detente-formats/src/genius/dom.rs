//! A small element tree built from quick-xml events, for reading GENIUS files.
//!
//! Only elements and their attributes are kept (GENIUS reads nothing else); every element
//! remembers the byte offset of its start tag so errors can point at a line and column.
//! Entity references other than the five predefined ones and character references are
//! never expanded, and a document type declaration that declares entities is refused.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{FormatError, Result, line_column};

/// Deepest element nesting accepted (GENIUS files nest a handful of levels).
const MAX_DEPTH: usize = 256;

/// One XML element: its name, attributes (in document order) and child elements.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Byte offset of the `<` of its start tag.
    pub offset: usize,
}

impl Element {
    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Direct children with this tag name, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first direct child with this tag name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Whether this element or any descendant satisfies `pred`.
    pub fn any(&self, pred: &dyn Fn(&Element) -> bool) -> bool {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            if pred(e) {
                return true;
            }
            stack.extend(e.children.iter());
        }
        false
    }
}

/// A parsed document: its text (for line numbers) and its root element.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub text: String,
    pub root: Element,
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

fn start_element(
    e: &BytesStart<'_>,
    reader: &Reader<&[u8]>,
    offset: usize,
    path: &Path,
    text: &str,
) -> Result<Element> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| {
            at(
                path,
                text,
                offset,
                format!("<{name}>: malformed attribute: {err}"),
            )
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.decode_and_unescape_value(reader.decoder()).map_err(|err| {
            at(path, text, offset, format!("<{name}> attribute `{key}`: {err} (only the predefined XML entities are expanded)"))
        })?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        offset,
    })
}

/// Decodes file bytes: UTF-8 (a BOM is dropped), or else ISO-8859-1, which some old GENIUS
/// files use. Returns the text and whether the fallback was used.
pub(crate) fn decode(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (bytes.iter().map(|&b| char::from(b)).collect(), true),
    }
}

/// Parses a whole document into an element tree.
pub(crate) fn parse(path: &Path, text: String) -> Result<Document> {
    let mut reader = Reader::from_reader(text.as_bytes());
    reader.config_mut().check_end_names = true;
    let mut tree = Tree {
        path,
        text: &text,
        stack: Vec::new(),
        root: None,
    };
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(err) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(at(path, &text, pos, format!("not well-formed XML: {err}")));
            }
        };
        match event {
            Event::Start(e) => tree.open(start_element(&e, &reader, offset, path, &text)?)?,
            Event::Empty(e) => tree.leaf(start_element(&e, &reader, offset, path, &text)?)?,
            Event::End(_) => tree.close(offset)?,
            Event::DocType(d) => {
                let body = String::from_utf8_lossy(d.as_ref()).to_ascii_uppercase();
                if body.contains("<!ENTITY") {
                    return Err(at(
                        path,
                        &text,
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
    Ok(Document { text, root })
}

/// The element tree being built: the open elements, and the root once it has ended.
struct Tree<'a> {
    path: &'a Path,
    text: &'a str,
    stack: Vec<Element>,
    root: Option<Element>,
}

impl Tree<'_> {
    fn err(&self, offset: usize, message: String) -> FormatError {
        at(self.path, self.text, offset, message)
    }

    /// Refuses a second root element.
    fn check_one_root(&self, el: &Element) -> Result<()> {
        if self.root.is_some() && self.stack.is_empty() {
            return Err(self.err(
                el.offset,
                format!("<{}> after the root element has ended", el.name),
            ));
        }
        Ok(())
    }

    /// A start tag: the element stays open until its end tag.
    fn open(&mut self, el: Element) -> Result<()> {
        self.check_one_root(&el)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.err(
                el.offset,
                format!("elements nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.stack.push(el);
        Ok(())
    }

    /// An empty element (`<a/>`), complete at once.
    fn leaf(&mut self, el: Element) -> Result<()> {
        self.check_one_root(&el)?;
        self.attach(el);
        Ok(())
    }

    /// An end tag at `offset`: closes the innermost open element.
    fn close(&mut self, offset: usize) -> Result<()> {
        let Some(el) = self.stack.pop() else {
            return Err(self.err(offset, "closing tag without an opening tag".into()));
        };
        self.attach(el);
        Ok(())
    }

    /// Adds a complete element to the open one, or makes it the root.
    fn attach(&mut self, el: Element) {
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(el),
            None => self.root = Some(el),
        }
    }

    /// The root, once every element is closed.
    fn finish(self) -> Result<Element> {
        if let Some(open) = self.stack.last() {
            return Err(self.err(open.offset, format!("<{}> is never closed", open.name)));
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
        let d = doc("\n\n<a x=\"1 &amp; 2\"><b/><c><b y='z'/></c></a>").unwrap();
        assert_eq!(d.root.name, "a");
        assert_eq!(d.root.attr("x"), Some("1 & 2"));
        assert_eq!(d.root.children.len(), 2);
        assert_eq!(d.root.children_named("b").count(), 1);
        assert_eq!(d.root.child("c").unwrap().children[0].attr("y"), Some("z"));
        assert_eq!(line_column(&d.text, d.root.offset), (3, 1));
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
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>"), ("<a/>".to_string(), false));
        assert_eq!(
            decode(b"<a v=\"caf\xE9\"/>"),
            ("<a v=\"caf\u{e9}\"/>".to_string(), true)
        );
    }
}
