package dev.keyledger.contracts;

/**
 * Every domain event. The aggregate id is the sequencing policy of the relay and the Kafka record
 * key, so events of one aggregate stay in order; the organization id routes the event to its
 * organization's audit log without a lookup.
 */
public interface KeyledgerEvent {

    String aggregateId();

    String organizationId();
}
