/**
 * PromQL, parsed as Prometheus parses it, far enough to check the alert rules and dashboard queries of
 * k8s/monitoring offline: syntax, the types functions and operators take, and every series and label they name.
 */
package org.lesiontriage.deploy.promql;
