/**
 * Payments through a provider that speaks Stripe's API (form-encoded requests, a Bearer key, Stripe-shaped errors):
 * {@code payments.create_payment_link}, {@code payments.create_invoice}, {@code payments.refund}. All are paid risk, so
 * the gate asks a person, showing the amount; above {@code second_factor_above} the approval needs a one-time code.
 * Every request carries an Idempotency-Key derived from the approval, so a retry never pays twice. Uses actions (the
 * tool SPI), config and support.
 */
package dev.steward.integrations.payments;
