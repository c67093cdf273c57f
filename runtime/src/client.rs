//! The `Client` every generated crate declares: the struct, its constructors and its transport,
//! written once here so the generated `client.rs` holds only what differs per API.

/// Declares a generated crate's `Client`: the transport, the client parameters the spec gives
/// once for every operation (`x-paykit-client-param`), `new`, `from_transport` and `transport`.
/// The operations are the generated crate's own `impl Client` block.
///
/// ```
/// /// Base URLs the spec lists.
/// pub mod servers {
///     pub const PRODUCTION: &str = "https://api.example.com";
/// }
///
/// paykit_runtime::client! {
///     /// Client for the Example API.
///     pub struct Client {
///         /// `instance` (query), sent with every operation that takes it.
///         instance: String,
///     }
///     auth: required;
///     rate_limit_reset: "X-RateLimit-Reset", UnixSeconds;
/// }
///
/// let client = Client::new(servers::PRODUCTION, "shop", paykit_runtime::Bearer::new("sk_test"))?;
/// assert_eq!(client.transport().base_url(), "https://api.example.com");
/// # Ok::<(), paykit_runtime::BuildError>(())
/// ```
///
/// `auth: required` makes `new` take a [`crate::Auth`] hook; `auth: none` (a spec without security
/// schemes) sends every request unauthenticated. `rate_limit_reset` names the response header the
/// spec says tells when a rate limit resets (`x-paykit-rate-limit-reset`), in seconds from now
/// (`DelaySeconds`) or as a Unix time (`UnixSeconds`). Links in the docs expect a `servers` module
/// beside the client.
#[macro_export]
macro_rules! client {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* $field:ident: String),* $(,)?
        }
        auth: $auth:ident;
        $(rate_limit_reset: $header:literal, $format:ident;)?
    ) => {
        $(#[$meta])*
        ///
        /// Cheap to clone; clones share one connection pool.
        #[derive(Debug, Clone)]
        $vis struct $name {
            transport: $crate::Transport,
            $($(#[$field_meta])* $field: String,)*
        }

        impl $name {
            $crate::client!(@new $auth; $($field)*);

            /// A client over a configured transport (timeouts, retry policy, size limit, your own
            /// `reqwest::Client`).
            pub fn from_transport(transport: $crate::Transport, $($field: impl Into<String>),*) -> Self {
                Self {
                    transport: transport $(.rate_limit_reset($crate::retry::ResetHeader::new(
                        $header,
                        $crate::retry::ResetFormat::$format,
                    )))?,
                    $($field: $field.into(),)*
                }
            }

            /// The transport every request goes through: to send a
            /// [`Request`](paykit_runtime::Request) of your own (a body in another of its
            /// documented media types, say).
            pub fn transport(&self) -> &$crate::Transport {
                &self.transport
            }
        }
    };
    (@new required; $($field:ident)*) => {
        /// A client for the API at `base_url` (one of [`servers`]) that authenticates every
        /// request with `auth`. Default timeouts and retries; see
        /// [`from_transport`](Self::from_transport) for your own.
        pub fn new(
            base_url: impl Into<String>,
            $($field: impl Into<String>,)*
            auth: impl $crate::Auth + 'static,
        ) -> Result<Self, $crate::BuildError> {
            let transport = $crate::Transport::builder(base_url).auth(auth).build()?;
            Ok(Self::from_transport(transport, $($field),*))
        }
    };
    (@new none; $($field:ident)*) => {
        /// A client for the API at `base_url` (one of [`servers`]); the spec declares no
        /// authentication. Default timeouts and retries; see
        /// [`from_transport`](Self::from_transport) for your own.
        pub fn new(base_url: impl Into<String>, $($field: impl Into<String>),*) -> Result<Self, $crate::BuildError> {
            let transport = $crate::Transport::builder(base_url).build()?;
            Ok(Self::from_transport(transport, $($field),*))
        }
    };
}
