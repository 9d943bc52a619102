/**
 * Offline checks of the deployment files: {@code kube} renders kustomizations and reads their objects,
 * {@code schema} validates objects against vendored schemas (Kubernetes, Strimzi, KEDA, Compose), {@code docker}
 * reads Dockerfiles and {@code .dockerignore}, {@code config} reads what a service's configuration expects.
 */
package org.lesiontriage.deploy;
