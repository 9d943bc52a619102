package org.lesiontriage.deploy.promql;

/** An expression Prometheus would refuse: the message says where and why. */
public final class PromQlException extends RuntimeException {

    public PromQlException(String message) {
        super(message);
    }
}
