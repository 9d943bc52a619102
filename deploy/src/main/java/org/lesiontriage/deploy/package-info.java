/**
 * Offline checks of the deployment files: {@code kube} renders kustomizations and reads their objects,
 * {@code schema} validates objects against vendored schemas (Kubernetes, Strimzi, KEDA, Prometheus Operator,
 * Compose), {@code promql} parses PromQL, {@code monitoring} checks alert rules and dashboards against the series
 * of the service's scrape, {@code docker} reads Dockerfiles and {@code .dockerignore}, {@code config} reads what a
 * service's configuration expects.
 */
package org.lesiontriage.deploy;
