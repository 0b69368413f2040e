/**
 * Model prices: the bundled LiteLLM price table converted to exact {@code ModelPrice} records, with operators'
 * {@code ModelPrice} resources ({@code tollway.dev/v1alpha1}) layered on top.
 */
@NullMarked
package dev.tollway.config.price;

import org.jspecify.annotations.NullMarked;
