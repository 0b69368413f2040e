/**
 * Amazon Bedrock's Converse and ConverseStream API: the request, response and binary event-stream codec,
 * its errors, and SigV4 signing with the AWS SDK's signer.
 */
@NullMarked
package dev.tollway.edge.provider.bedrock;

import org.jspecify.annotations.NullMarked;
