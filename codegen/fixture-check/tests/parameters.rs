//! Objects and unions in path, header and cookie parameters, as the parameters fixture's emitted
//! method writes them, read back on a local wiremock server. The expected spellings are those of
//! the OpenAPI 3.0 style examples table (`{R: 100, G: 200}`).

use paykit_codegen_fixtures::parameters::{Client, ListWorkflowRunsParams, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The header `name` exactly `value` (wiremock's `header` matcher splits values at commas).
fn header_is(name: &'static str, value: &'static str) -> impl Fn(&Request) -> bool {
    move |request: &Request| {
        request
            .headers
            .get(name)
            .is_some_and(|v| v.as_bytes() == value.as_bytes())
    }
}

#[tokio::test]
async fn objects_and_unions_follow_their_style_outside_the_query() {
    let server = MockServer::start().await;
    // label exploded, then matrix not exploded; GitHub's integer-or-string workflow id.
    Mock::given(method("GET"))
        .and(path("/workflows/ci.yml/runs/.R=100.G=200;coords=R,1,G,2"))
        .and(header_is("x-filter", "R=100,G=200"))
        .and(header_is("cookie", "prefs=R%2C1%2CG%2C2"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/workflows/42/runs/.R=100.G=200;coords=R,1,G,2"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri(), "eu").expect("client");
    let color = paykit_runtime::build!(types::Color {
        r: Some(100),
        g: Some(200),
    });
    let coords = paykit_runtime::build!(types::Color { r: Some(1), g: Some(2) });
    let params = paykit_runtime::build!(ListWorkflowRunsParams {
        x_filter: Some(color.clone()),
        prefs: Some(coords.clone()),
    });
    let by_name = types::ListWorkflowRunsWorkflowId::String("ci.yml".into());
    client
        .list_workflow_runs(&by_name, &color, &coords, params)
        .await
        .expect("by name");
    let by_id = types::ListWorkflowRunsWorkflowId::Integer(42);
    let params = ListWorkflowRunsParams::default();
    client
        .list_workflow_runs(&by_id, &color, &coords, params)
        .await
        .expect("by id");
}

/// The typed mock compares a `when_path` value as the client writes it, in the parameter's own
/// style: label and matrix, exploded or not, several in one segment.
#[tokio::test]
async fn the_mock_matches_path_parameters_in_their_style() {
    use paykit_codegen_fixtures::parameters::mock::MockServer;

    let mock = MockServer::start().await;
    mock.get_reports()
        .when_path("ids", [1, 2])
        .when_path("year", 2024)
        .when_path("slice", ["a", "b"])
        .returns(())
        .times(1)
        .await;
    let color = paykit_runtime::build!(types::Color {
        r: Some(100),
        g: Some(200)
    });
    let coords = paykit_runtime::build!(types::Color { r: Some(1), g: Some(2) });
    mock.list_workflow_runs()
        .when_path("color", &color)
        .when_path("coords", &coords)
        .returns(())
        .times(1)
        .await;

    let client = Client::new(mock.url(), "eu").expect("client");
    client
        .get_reports(&[1, 2], 2024, &["a".into(), "b".into()])
        .await
        .expect("reports");
    let other_year = client.get_reports(&[1, 2], 2025, &["a".into(), "b".into()]).await;
    assert_eq!(
        other_year.expect_err("no answer").status().map(|s| s.as_u16()),
        Some(501)
    );
    let by_id = types::ListWorkflowRunsWorkflowId::Integer(42);
    client
        .list_workflow_runs(&by_id, &color, &coords, ListWorkflowRunsParams::default())
        .await
        .expect("runs");
    mock.verify().expect("each answered once");
}

/// A PHP API's mock reads a `when_query` boolean as its client writes it (`1`), and a form body
/// as an object of its pairs.
#[tokio::test]
async fn the_mock_of_a_php_api_matches_its_query_and_form_spelling() {
    use paykit_codegen_fixtures::php_forms::{Client, CreateOrderParams, mock::MockServer, types::CreateOrderBody};

    let mock = MockServer::start().await;
    mock.create_order()
        .when_query("live", true)
        .when_query("test", None::<bool>)
        .when_body(serde_json::json!({"gift": "1", "items[0]": "7"}))
        .returns(())
        .times(1)
        .await;

    let client = Client::new(mock.url()).expect("client");
    let mut body = CreateOrderBody::new(true);
    body.items = Some(vec![7]);
    client
        .create_order(true, &body, CreateOrderParams::default())
        .await
        .expect("live order");
    let test_order = client.create_order(false, &body, CreateOrderParams::default()).await;
    assert_eq!(
        test_order.expect_err("no answer").status().map(|s| s.as_u16()),
        Some(501)
    );
    mock.verify().expect("answered once");
}
