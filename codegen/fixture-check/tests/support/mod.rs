//! What the fixture tests share: reading a multipart body back with an independent parser
//! (multer).

use wiremock::Request;

/// One part as received: name, file name, content type, bytes.
pub type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a multipart request, in order.
pub async fn parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
    let boundary = multer::parse_boundary(content_type.unwrap_or_default()).expect("a multipart content type");
    let body = request.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed body") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        let bytes = field.bytes().await.expect("the part's bytes").to_vec();
        parts.push((name, file_name, content_type, bytes));
    }
    parts
}
