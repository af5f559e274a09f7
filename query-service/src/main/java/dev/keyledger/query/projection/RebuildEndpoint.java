package dev.keyledger.query.projection;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * The operator command: {@code POST /actuator/rebuild} on the management port drops every
 * projection and the changelog state and rebuilds them from offset 0; {@code GET} shows progress.
 */
@Component
@Endpoint(id = "rebuild")
class RebuildEndpoint {

    private final ProjectionRunner runner;

    RebuildEndpoint(ProjectionRunner runner) {
        this.runner = runner;
    }

    @ReadOperation
    RebuildProgress progress() {
        return runner.rebuildProgress();
    }

    @WriteOperation
    RebuildProgress rebuild() {
        runner.requestRebuild();
        return runner.rebuildProgress();
    }
}
