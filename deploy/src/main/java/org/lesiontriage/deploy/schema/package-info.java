/**
 * Schema validation against the vendored schemas under {@code schemas/} (see the README there): the Kubernetes
 * OpenAPI definitions, the CRDs of Strimzi, KEDA and the Prometheus Operator, and the Compose
 * specification.
 */
package org.lesiontriage.deploy.schema;
