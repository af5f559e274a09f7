package dev.keyledger.query.admin;

import dev.keyledger.query.projection.Rebuild;
import dev.keyledger.query.projection.RebuildStatus;
import dev.keyledger.query.web.ApiError;
import dev.keyledger.query.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Collection;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rebuild API of CONTRACT.md, for platform admins: {@code POST /api/v1/admin/rebuild} starts a
 * rebuild (202, or 409 while one runs on any instance; a second call never restarts it) and
 * {@code GET} reports its state. Authentication is the {@code /api/**} resource-server chain; the
 * role is checked here.
 */
@RestController
@Tag(name = "admin")
class RebuildController {

    private static final String PLATFORM_ADMIN = "platform_admin";

    private final Rebuild rebuild;
    private final String rolesClaim;

    RebuildController(Rebuild rebuild, Environment environment) {
        this.rebuild = rebuild;
        // The claim name is the security feature's setting (keyledger.security.roles-claim).
        this.rolesClaim = environment.getProperty("keyledger.security.roles-claim", "roles");
    }

    @Operation(
            operationId = "startRebuild",
            summary = "Rebuild the read models from the event topic",
            description = "Role: `platform_admin` only. One rebuild at a time across every instance; the live"
                    + " projection keeps serving meanwhile.")
    @ApiResponse(
            responseCode = "202",
            description = "Requested; the status",
            content = @Content(schema = @Schema(implementation = RebuildStatus.class)))
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @PostMapping("/api/v1/admin/rebuild")
    ResponseEntity<?> start() {
        requirePlatformAdmin();
        if (!rebuild.request()) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(new ApiError("conflict", "A rebuild is already running", "CONFLICT", null));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.status());
    }

    @Operation(
            operationId = "getRebuildStatus",
            summary = "The state of the running or last rebuild",
            description = "Role: `platform_admin` only.")
    @GetMapping("/api/v1/admin/rebuild")
    RebuildStatus status() {
        requirePlatformAdmin();
        return rebuild.status();
    }

    private void requirePlatformAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || !(authentication.getPrincipal() instanceof Jwt jwt)
                || !roles(jwt.getClaim(rolesClaim)).contains(PLATFORM_ADMIN)) {
            throw ApiException.forbidden("Only platform admins may rebuild the projections");
        }
    }

    private static List<String> roles(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String value) {
            return List.of(value.split("[ ,]+"));
        }
        return List.of();
    }
}
