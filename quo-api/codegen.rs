//! Code generation for `quo-api`, kept in one place.
//!
//! This file is compiled twice: by `quo-api/build.rs`, which generates the
//! client at build time, and by `xtask` (`cargo xtask regen`), which
//! generates the same code in memory to write and check the reviewable
//! API surface summary (`openapi/api-surface.txt`). Sharing the file is what
//! guarantees that the summary describes exactly what the build produces.
//!
//! Nothing here panics: every failure is a `String` naming what went wrong.

use std::fmt::Write as _;

use quote::{ToTokens, format_ident, quote};

/// The generated code of one spec: formatted Rust source plus its syntax tree.
pub struct Generated {
    /// Formatted source, ready to be written to `OUT_DIR` and `include!`d.
    pub source: String,
    /// The parsed form of `source`, for inspection (surface, pagination).
    pub file: syn::File,
}

/// The one set of progenitor settings every generated client uses.
///
/// - positional methods (`client.get_contact_by_id_v1(id)`): half the code
///   of builders, and `quo-api-ext` wraps them in builders of its own;
/// - `RequestHooks` as the client's inner value and `ClientHooks` expected,
///   so every request goes through the single hook in `src/hooks.rs`;
/// - `PartialEq` on every type so users and tests can compare values;
/// - the contact custom field replaced by the hand-written, tolerant
///   `crate::custom_field::CustomField` (one odd field never fails a page);
/// - list responses' `totalItems` (a documented-inaccurate count) replaced
///   by the lenient `crate::pagination::TotalItems`;
/// - a webhook subscription's signing key (the `WebhookKey` component) by
///   `crate::WebhookKey`, whose `Debug` never shows it;
/// - each `Open{Name}` component (an enum of response data, see the
///   normaliser's `open_enums`) replaced by `crate::Open<types::{Name}>`, so
///   a value Quo adds later decodes instead of failing the page.
///
/// [`generate`] then routes every response body through
/// `crate::decode::from_response` (see `RouteDecoding` below), makes each
/// list response's `data` a `crate::pagination::Items` (see
/// `items_per_page`) and reads `null` arrays and date-times without offset
/// leniently (see `lenient_reading`).
pub fn settings(open_enums: &[(String, String)]) -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote!(crate::hooks::RequestHooks))
        .with_hooks(progenitor::HooksMode::Expected)
        .with_derive("PartialEq")
        .with_replacement(
            "CustomField",
            "crate::custom_field::CustomField",
            std::iter::empty(),
        )
        .with_replacement(
            "TotalItems",
            "crate::pagination::TotalItems",
            std::iter::empty(),
        )
        .with_replacement("WebhookKey", "crate::WebhookKey", std::iter::empty());
    for (twin, strict) in open_enums {
        settings.with_replacement(
            twin,
            format!("crate::Open<crate::types::{strict}>"),
            std::iter::empty(),
        );
    }
    settings
}

/// The `Open{Name}` components of a normalised document and the strict
/// enum each one wraps (the normaliser marks them with `x-quo-open-enum`).
pub fn open_enums(spec: &openapiv3::OpenAPI) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(components) = &spec.components else {
        return out;
    };
    for (name, schema) in &components.schemas {
        if let openapiv3::ReferenceOr::Item(schema) = schema
            && let Some(serde_json::Value::String(strict)) =
                schema.schema_data.extensions.get("x-quo-open-enum")
        {
            out.push((name.clone(), strict.clone()));
        }
    }
    out
}

/// Generates the client for a normalised (OpenAPI 3.0) document given as JSON.
pub fn generate(spec_json: &str) -> Result<Generated, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_str(spec_json)
        .map_err(|e| format!("the normalised document is not OpenAPI 3.0: {e}"))?;
    let mut generator = progenitor::Generator::new(&settings(&open_enums(&spec)));
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor could not generate the client: {e}"))?;
    let mut client: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    syn::visit_mut::VisitMut::visit_file_mut(&mut RouteDecoding, &mut client);
    let paginated = paginated_responses(&client);
    items_per_page(&mut client, &paginated);
    lenient_reading(&mut client);
    clearable_fields(&mut client, &patch_clearable(&spec));
    let pagination: syn::File = syn::parse2(pagination_impls(paginated))
        .map_err(|e| format!("pagination impls do not parse: {e}"))?;
    let mut file = client;
    file.items.extend(pagination.items);
    let source = prettyplease::unparse(&file);
    Ok(Generated { source, file })
}

/// Generates the typed `httpmock` helpers for a normalised document: a
/// `MockServerExt` trait with one method per operation
/// (`server.list_contacts_v1(|when, then| ..)`) whose `when`/`then` take the
/// operation's own parameter and response types.
///
/// progenitor's generator matches a query parameter with
/// `value.to_string()`, which does not compile for array parameters
/// (`externalIds`, `participants`); `RepeatedQuery` makes those match
/// each element as one repetition of the key, as the client sends them,
/// and makes date-time parameters match in RFC 3339, as the client sends
/// them, instead of `Display`'s form. A path parameter is matched as the
/// client sends it, percent-encoded, and escaped before it goes into the
/// path's regex (progenitor puts the raw value there, so an id with `.`
/// matched other ids and one with `(` panicked).
pub fn generate_mocks(spec_json: &str) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_str(spec_json)
        .map_err(|e| format!("the normalised document is not OpenAPI 3.0: {e}"))?;
    let mut generator = progenitor::Generator::new(&settings(&open_enums(&spec)));
    let tokens = generator
        .httpmock(&spec, "crate")
        .map_err(|e| format!("progenitor could not generate the mocks: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced mocks that do not parse: {e}"))?;
    syn::visit_mut::VisitMut::visit_file_mut(&mut RepeatedQuery, &mut file);
    Ok(prettyplease::unparse(&file))
}

/// Rewrites the `when` setter of each array query parameter to expect one
/// `key=value` pair per element (see `generate_mocks`).
struct RepeatedQuery;

impl syn::visit_mut::VisitMut for RepeatedQuery {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if let Some(pattern) = path_pattern(&f.block) {
            f.block = syn::parse_quote!({
                let value = ::progenitor_client::encode_path(&value.to_string());
                let re = regex::Regex::new(&format!(#pattern, regex::escape(&value)))
                    .expect("an escaped value always makes a valid pattern");
                Self(self.0.path_matches(re))
            });
            return;
        }
        let signature = f.sig.to_token_stream().to_string();
        if signature.contains("DateTime <") {
            syn::visit_mut::VisitMut::visit_block_mut(&mut Rfc3339, &mut f.block);
            return;
        }
        if !signature.contains("Vec <") {
            return;
        }
        let Some(name) = query_name(&f.block) else {
            return;
        };
        let optional = signature.contains("Option <");
        f.block = if optional {
            syn::parse_quote!({
                if let Some(value) = value.into() {
                    let mut when = self.0;
                    for item in value.iter() {
                        when = when.query_param(#name, item.to_string());
                    }
                    Self(when)
                } else {
                    Self(self.0.query_param_missing(#name))
                }
            })
        } else {
            syn::parse_quote!({
                let mut when = self.0;
                for item in value.iter() {
                    when = when.query_param(#name, item.to_string());
                }
                Self(when)
            })
        };
    }
}

/// In a date-time setter, `value.to_string()` (`2024-05-01 00:00:00 UTC`)
/// becomes the RFC 3339 text the client sends (`2024-05-01T00:00:00Z`,
/// chrono's serde form), so the mock matches the request.
struct Rfc3339;

impl syn::visit_mut::VisitMut for Rfc3339 {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "to_string"
            && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value"))
        {
            *expr = syn::parse_quote!(value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true));
        }
    }
}

/// The pattern of a path parameter's setter: the string literal opening the
/// `format!` whose result the block passes to `path_matches`.
fn path_pattern(block: &syn::Block) -> Option<syn::LitStr> {
    let text = block.to_token_stream().to_string();
    if !text.contains("path_matches") {
        return None;
    }
    struct Find(Option<syn::LitStr>);
    impl syn::visit_mut::VisitMut for Find {
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            if self.0.is_none() && mac.path.is_ident("format") {
                self.0 = mac
                    .parse_body_with(
                        syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                    )
                    .ok()
                    .and_then(|args| match args.first() {
                        Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(pattern),
                            ..
                        })) => Some(pattern.clone()),
                        _ => None,
                    });
            }
        }
    }
    let mut find = Find(None);
    syn::visit_mut::VisitMut::visit_block_mut(&mut find, &mut block.clone());
    find.0
}

/// The key of the first `query_param("key", ..)` call in a block.
fn query_name(block: &syn::Block) -> Option<syn::LitStr> {
    struct Find(Option<syn::LitStr>);
    impl syn::visit_mut::VisitMut for Find {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if self.0.is_none()
                && call.method == "query_param"
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(key),
                    ..
                })) = call.args.first()
            {
                self.0 = Some(key.clone());
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut find = Find(None);
    // A copy: syn's read-only visitor is not among the features built.
    syn::visit_mut::VisitMut::visit_block_mut(&mut find, &mut block.clone());
    find.0
}

/// Replaces each call of progenitor-client's `ResponseValue::from_response`
/// with `crate::decode::from_response`, which has the same signature and
/// result. progenitor offers no setting for how bodies are decoded, and its
/// decoder (`serde_json::from_slice`) checks UTF-8 string by string; the
/// crate's own checks the whole body once and decodes it as text, which
/// decodes a page of contacts faster (the pagination benchmark prints by
/// how much).
struct RouteDecoding;

impl syn::visit_mut::VisitMut for RouteDecoding {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        if let syn::Expr::Path(callee) = &*call.func {
            let names: Vec<String> = callee
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if names.ends_with(&["ResponseValue".to_owned(), "from_response".to_owned()]) {
                *call.func = syn::parse_quote!(crate::decode::from_response);
            }
        }
    }
}

/// One generated operation method, as seen in the syntax tree.
struct Operation<'a> {
    method: &'a syn::ImplItemFn,
    /// `GET /v1/contacts`, read from progenitor's doc comment.
    route: String,
}

fn operations(file: &syn::File) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_path(&imp.self_ty, "Client") {
            continue;
        }
        for item in &imp.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            if !matches!(method.vis, syn::Visibility::Public(_)) || method.sig.asyncness.is_none() {
                continue;
            }
            out.push(Operation {
                route: route_of(&method.attrs),
                method,
            });
        }
    }
    out.sort_by(|a, b| a.method.sig.ident.cmp(&b.method.sig.ident));
    out
}

fn is_path(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident(name))
}

fn route_of(attrs: &[syn::Attribute]) -> String {
    for attr in attrs {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        if !nv.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            continue;
        };
        let text = s.value();
        if let Some(at) = text.find("Sends a `") {
            let parts: Vec<&str> = text[at + "Sends a `".len()..].split('`').collect();
            if parts.len() >= 3 {
                return format!("{} {}", parts[0], parts[2]);
            }
        }
    }
    String::new()
}

fn types_module(file: &syn::File) -> &[syn::Item] {
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, items)) = &m.content
        {
            return items;
        }
    }
    &[]
}

/// Renders tokens compactly and without noise: `Option < & 'a :: std :: string :: String >`
/// becomes `Option<&String>`.
fn compact(tokens: impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    for (noise, with) in [
        ("'a ", ""),
        (":: std :: ", ""),
        (":: chrono :: offset :: ", "chrono::"),
        (":: chrono :: ", "chrono::"),
        (":: serde_json :: ", "serde_json::"),
        ("string :: String", "String"),
        ("vec :: Vec", "Vec"),
        ("option :: Option", "Option"),
        ("num :: ", ""),
        ("collections :: ", ""),
        ("boxed :: Box", "Box"),
    ] {
        text = text.replace(noise, with);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = if i > 0 { chars[i - 1] } else { ' ' };
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let tight_after = ['<', ':', '&', '(', '['];
            let tight_before = ['<', '>', ':', ')', ']', ','];
            if tight_after.contains(&prev) || tight_before.contains(&next) {
                continue;
            }
        }
        out.push(c);
    }
    out.replace(",>", ">").replace(",)", ")")
}

/// A reviewable, deterministic summary of the generated API surface.
///
/// Lists each operation (route, method, parameters, success and error
/// types) and each generated type with its fields or variants, so that a
/// spec or generator change shows up as a readable diff in review.
pub fn surface(file: &syn::File) -> String {
    let mut out = String::new();
    out.push_str("# The API surface of the generated `quo-api` client.\n");
    out.push_str("# Written by `cargo xtask regen`, verified by `cargo xtask regen --check`; do not edit.\n\n");
    let ops = operations(file);
    let _ = writeln!(out, "## Operations ({})\n", ops.len());
    for op in &ops {
        let sig = &op.method.sig;
        let params: Vec<String> = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                syn::FnArg::Typed(t) => Some(format!("{}: {}", compact(&t.pat), compact(&t.ty))),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let output = match &sig.output {
            syn::ReturnType::Type(_, ty) => compact(ty),
            syn::ReturnType::Default => "()".to_owned(),
        };
        let _ = writeln!(out, "{}", op.route);
        let _ = writeln!(out, "    {}({})", sig.ident, params.join(", "));
        let _ = writeln!(out, "    -> {output}");
    }
    let mut types: Vec<String> = Vec::new();
    for item in types_module(file) {
        match item {
            syn::Item::Struct(s) => {
                let fields: Vec<String> = match &s.fields {
                    syn::Fields::Named(named) => named
                        .named
                        .iter()
                        .map(|f| {
                            let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                            format!("    {name}: {}", compact(&f.ty))
                        })
                        .collect(),
                    syn::Fields::Unnamed(unnamed) => unnamed
                        .unnamed
                        .iter()
                        .map(|f| format!("    ({})", compact(&f.ty)))
                        .collect(),
                    syn::Fields::Unit => Vec::new(),
                };
                types.push(format!("struct {}\n{}", s.ident, fields.join("\n")));
            }
            syn::Item::Enum(e) => {
                let serde = e
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("serde"))
                    .map(|a| compact(&a.meta))
                    .collect::<Vec<_>>()
                    .join(" ");
                let variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| {
                        let fields = match &v.fields {
                            syn::Fields::Unit => String::new(),
                            other => compact(other),
                        };
                        format!("    {}{fields}", v.ident)
                    })
                    .collect();
                types.push(format!("enum {} {serde}\n{}", e.ident, variants.join("\n")));
            }
            syn::Item::Type(t) => types.push(format!("type {} = {}", t.ident, compact(&t.ty))),
            _ => {}
        }
    }
    types.sort();
    let _ = writeln!(out, "\n## Types ({})\n", types.len());
    for t in types {
        let _ = writeln!(out, "{}", t.trim_end());
    }
    let paginated = paginated_responses(file);
    let _ = writeln!(out, "\n## Paginated responses ({})\n", paginated.len());
    for p in paginated {
        let _ = writeln!(out, "{} -> {}", p.response, compact(&p.item));
    }
    out
}

/// A response type following Quo's v1 list pattern.
struct PaginatedResponse {
    response: syn::Ident,
    item: syn::Type,
    total_items: bool,
    /// Whether the item type is a generated struct with an `id` field of
    /// type `String` or `Option<String>`.
    item_id: bool,
}

/// Finds responses of operations that take `max_results` and `page_token`
/// and answer `{ data: Vec<T>, next_page_token: Option<String>, .. }`.
fn paginated_responses(file: &syn::File) -> Vec<PaginatedResponse> {
    let types = types_module(file);
    let mut found: Vec<PaginatedResponse> = Vec::new();
    for op in operations(file) {
        let names: Vec<String> = op
            .method
            .sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                syn::FnArg::Typed(t) => Some(compact(&t.pat)),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        if !names.iter().any(|n| n == "max_results") || !names.iter().any(|n| n == "page_token") {
            continue;
        }
        let Some(response) = success_type_name(&op.method.sig.output) else {
            continue;
        };
        let Some(strukt) = types.iter().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == response => Some(s),
            _ => None,
        }) else {
            continue;
        };
        let field = |name: &str| {
            strukt
                .fields
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == name))
        };
        let (Some(data), Some(token)) = (field("data"), field("next_page_token")) else {
            continue;
        };
        if compact(&token.ty) != "Option<String>" && compact(&token.ty) != "String" {
            continue;
        }
        let Some(item) = vec_element(&data.ty) else {
            continue;
        };
        if found.iter().any(|p| p.response == response) {
            continue;
        }
        let item_id = has_text_id(types, &item);
        found.push(PaginatedResponse {
            response,
            item,
            total_items: field("total_items").is_some(),
            item_id,
        });
    }
    found
}

/// Whether `item` names a struct of the types module whose `id` field is a
/// `String` or an `Option<String>`.
fn has_text_id(types: &[syn::Item], item: &syn::Type) -> bool {
    let syn::Type::Path(p) = item else {
        return false;
    };
    let Some(name) = p.path.segments.last().map(|s| &s.ident) else {
        return false;
    };
    types.iter().any(|t| match t {
        syn::Item::Struct(s) if &s.ident == name => s.fields.iter().any(|f| {
            f.ident.as_ref().is_some_and(|i| i == "id")
                && matches!(compact(&f.ty).as_str(), "String" | "Option<String>")
        }),
        _ => false,
    })
}

/// `Result<ResponseValue<types::X>, ..>` → `X`.
fn success_type_name(output: &syn::ReturnType) -> Option<syn::Ident> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = first_generic(ty)?;
    let value = first_generic(&result)?;
    let syn::Type::Path(p) = value else {
        return None;
    };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, last] if module.ident == "types" => Some(last.ident.clone()),
        _ => None,
    }
}

fn first_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The element type of a `Vec<T>`, or of the `Items<T>` a list
/// response's `data` becomes.
fn vec_element(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = &p.path.segments.last()?.ident;
    if last != "Vec" && last != "Items" {
        return None;
    }
    first_generic(ty)
}

/// The `types` module's items, to edit.
fn types_module_mut(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Makes the `data` of every list response a `crate::pagination::Items<T>`
/// instead of a `Vec<T>`: its items are decoded one by one, and one that
/// cannot be read is kept aside instead of failing the page. `Items` reads
/// a missing or `null` `data` as no items itself, so typify's serde
/// attributes for the `Vec` give way to `default`.
fn items_per_page(file: &mut syn::File, paginated: &[PaginatedResponse]) {
    let Some(types) = types_module_mut(file) else {
        return;
    };
    for item in types.iter_mut() {
        let syn::Item::Struct(strukt) = item else {
            continue;
        };
        let Some(page) = paginated.iter().find(|p| p.response == strukt.ident) else {
            continue;
        };
        let element = &page.item;
        for field in strukt.fields.iter_mut() {
            if field.ident.as_ref().is_some_and(|i| i == "data") {
                field.ty = syn::parse_quote!(crate::pagination::Items<#element>);
                field.attrs.retain(|a| !a.path().is_ident("serde"));
                field.attrs.push(syn::parse_quote!(#[serde(default)]));
            }
        }
    }
}

/// Adds lenient readers to the fields of every generated struct:
///
/// - a `Vec` that may be absent (`#[serde(default)]`, which the normaliser
///   gives every array of response data) also reads `null` as empty
///   (`crate::lenient::null_as_empty`);
/// - a date-time, optional or not, also reads a time without offset as
///   UTC (`crate::lenient::utc`, `utc_opt`).
///
/// Only `Deserialize` is affected: what a request sends is unchanged, so
/// request types need no exception.
fn lenient_reading(file: &mut syn::File) {
    let Some(types) = types_module_mut(file) else {
        return;
    };
    for item in types.iter_mut() {
        let syn::Item::Struct(strukt) = item else {
            continue;
        };
        let syn::Fields::Named(fields) = &mut strukt.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            if has_serde_key(&field.attrs, "deserialize_with") {
                continue;
            }
            let outer = last_ident(&field.ty);
            let inner = first_generic(&field.ty).and_then(|t| last_ident(&t));
            let reader = match (outer.as_deref(), inner.as_deref()) {
                (Some("Vec"), _) if has_serde_key(&field.attrs, "default") => "null_as_empty",
                (Some("DateTime"), _) => "utc",
                (Some("Option"), Some("DateTime")) => {
                    // With `deserialize_with`, serde no longer treats a
                    // missing `Option` as `None` by itself.
                    if !has_serde_key(&field.attrs, "default") {
                        field.attrs.push(syn::parse_quote!(#[serde(default)]));
                    }
                    "utc_opt"
                }
                _ => continue,
            };
            let path = format!("crate::lenient::{reader}");
            field
                .attrs
                .push(syn::parse_quote!(#[serde(deserialize_with = #path)]));
        }
    }
}

/// The optional, nullable properties of `PATCH` request bodies, as
/// `(generated struct, JSON property)`: in a `PATCH`, leaving a property
/// out keeps its value and `null` clears it, so the field must be able to
/// say both.
///
/// Inline objects are named as typify names them: the parent's name, then
/// the property's name in `PascalCase` (`ContactUpdate` `defaultFields` ->
/// `ContactUpdateDefaultFields`).
fn patch_clearable(spec: &openapiv3::OpenAPI) -> Vec<(String, String)> {
    use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
    fn walk(name: &str, schema: &Schema, out: &mut Vec<(String, String)>) {
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return;
        };
        for (property, value) in &object.properties {
            let ReferenceOr::Item(value) = value else {
                continue;
            };
            let optional = !object.required.contains(property);
            if optional && value.schema_data.nullable {
                out.push((name.to_owned(), property.clone()));
            }
            let mut chars = property.chars();
            let pascal: String = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
                .collect();
            walk(&format!("{name}{pascal}"), value, out);
        }
    }
    let mut out = Vec::new();
    let schemas = spec.components.as_ref().map(|c| &c.schemas);
    for (_, path) in spec.paths.iter() {
        let ReferenceOr::Item(path) = path else {
            continue;
        };
        let Some(body) = path.patch.as_ref().and_then(|op| op.request_body.as_ref()) else {
            continue;
        };
        let ReferenceOr::Item(body) = body else {
            continue;
        };
        for media in body.content.values() {
            let Some(ReferenceOr::Reference { reference }) = &media.schema else {
                continue;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            if let Some(ReferenceOr::Item(schema)) = schemas.and_then(|s| s.get(name)) {
                walk(name, schema, &mut out);
            }
        }
    }
    out
}

/// Makes each field listed by [`patch_clearable`] an `Option<Option<T>>`:
/// `None` leaves the property out (the value is kept), `Some(None)` sends
/// `null` (the value is cleared), `Some(Some(v))` sets it. serde writes
/// that shape as is; reading it back uses `crate::lenient::present`, so
/// that `null` stays `Some(None)`.
fn clearable_fields(file: &mut syn::File, clearable: &[(String, String)]) {
    let Some(types) = types_module_mut(file) else {
        return;
    };
    for item in types.iter_mut() {
        let syn::Item::Struct(strukt) = item else {
            continue;
        };
        let name = strukt.ident.to_string();
        let syn::Fields::Named(fields) = &mut strukt.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            let wire =
                serde_rename(&field.attrs).or_else(|| field.ident.as_ref().map(|i| i.to_string()));
            let listed =
                wire.is_some_and(|wire| clearable.iter().any(|(s, p)| *s == name && *p == wire));
            if !listed || last_ident(&field.ty).as_deref() != Some("Option") {
                continue;
            }
            let ty = &field.ty;
            field.ty = syn::parse_quote!(::std::option::Option<#ty>);
            field.attrs.push(syn::parse_quote!(
                #[serde(default, deserialize_with = "crate::lenient::present")]
            ));
        }
    }
}

/// The `rename` of a field's `#[serde(..)]` attributes, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    rename
}

/// The last segment of a type path: `Vec` for `::std::vec::Vec<T>`.
fn last_ident(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    p.path.segments.last().map(|s| s.ident.to_string())
}

/// Whether a `#[serde(..)]` attribute among `attrs` sets `key`.
fn has_serde_key(attrs: &[syn::Attribute], key: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // An attribute that does not parse sets nothing we add.
        let _ = attr.parse_nested_meta(|meta| {
            found |= meta.path.is_ident(key);
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    found
}

/// `impl crate::pagination::Paginated` for every v1 list response, so that
/// every list operation (contacts, calls, messages, ...) gets the same
/// streams in `quo-api-ext` with no hand-written loop per operation.
fn pagination_impls(paginated: Vec<PaginatedResponse>) -> proc_macro2::TokenStream {
    let impls = paginated.into_iter().map(|p| {
        let PaginatedResponse {
            response,
            item,
            total_items,
            item_id,
        } = p;
        let id = if item_id {
            quote! {
                fn item_id(item: &Self::Item) -> Option<&str> {
                    crate::pagination::ItemId::id(&item.id)
                }
            }
        } else {
            quote!()
        };
        let total = if total_items {
            quote!(crate::pagination::TotalItemsHint::hint(&self.total_items))
        } else {
            quote!(None)
        };
        quote! {
            impl crate::pagination::Paginated for #response {
                type Item = #item;
                fn next_page_token(&self) -> Option<&str> {
                    crate::pagination::NextPageToken::token(&self.next_page_token)
                }
                fn total_items_hint(&self) -> Option<u64> {
                    #total
                }
                fn into_items(self) -> crate::pagination::Items<Self::Item> {
                    self.data
                }
                #id
            }
        }
    });
    let module = format_ident!("paginated_responses");
    quote! {
        /// `Paginated` for each response of Quo's v1 list pattern.
        mod #module {
            #[allow(unused_imports)]
            use super::types::*;
            #(#impls)*
        }
    }
}
