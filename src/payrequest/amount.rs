//! Amounts as PayRequest V1 documents them (hand-written).
//!
//! The API takes `amount` as a string in units with a decimal comma: the only documented example
//! is `"12,25"`. Money is best held in integer minor units (cents), so this module writes minor
//! units in that form.
//!
//! V1 has no currency field: the account's default currency applies. This module assumes it has
//! two decimal places (as EUR, which PayRequest accounts use); for a currency without minor units
//! the amount would be off by a factor of 100.

use super::types::CreatePaymentRequestBody;

/// Writes an amount in minor units (cents) as PayRequest's decimal-comma string: whole units,
/// a comma, always two digits of cents, no thousands separator.
///
/// `1225` → `"12,25"`, `5` → `"0,05"`, `100` → `"1,00"`, `0` → `"0,00"`. Every `u64` is
/// representable, so this never fails.
pub fn format_minor_units(minor_units: u64) -> String {
    format!("{},{:02}", minor_units / 100, minor_units % 100)
}

/// `CreatePaymentRequestBody::from_minor_units`: a request built from an amount in cents.
pub trait FromMinorUnits {
    /// A request with the required fields set, the amount given in minor units (formatted with
    /// [`format_minor_units`]), and every optional field empty. Set `id` as well: it is needed to
    /// retrieve the payment and to check the return.
    fn from_minor_units(
        token: impl Into<paykit_runtime::Secret>,
        title: impl Into<String>,
        amount_minor_units: u64,
    ) -> Self;
}

impl FromMinorUnits for CreatePaymentRequestBody {
    fn from_minor_units(
        token: impl Into<paykit_runtime::Secret>,
        title: impl Into<String>,
        amount_minor_units: u64,
    ) -> Self {
        Self::new(token.into(), title.into(), format_minor_units(amount_minor_units))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_a_decimal_comma() {
        assert_eq!(format_minor_units(1225), "12,25");
        assert_eq!(format_minor_units(5), "0,05");
        assert_eq!(format_minor_units(100), "1,00");
        assert_eq!(format_minor_units(0), "0,00");
        assert_eq!(format_minor_units(u64::MAX), "184467440737095516,15");
    }
}
