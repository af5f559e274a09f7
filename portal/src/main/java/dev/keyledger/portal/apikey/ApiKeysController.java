package dev.keyledger.portal.apikey;

import dev.keyledger.portal.PortalProperties;
import dev.keyledger.portal.api.ApiException;
import dev.keyledger.portal.api.CommandApi;
import dev.keyledger.portal.api.Models.CursorList;
import dev.keyledger.portal.api.Models.IssuedKey;
import dev.keyledger.portal.api.Models.KeyView;
import dev.keyledger.portal.api.QueryApi;
import dev.keyledger.portal.security.FormTokens;
import dev.keyledger.portal.security.PortalUser;
import dev.keyledger.portal.web.CursorPage;
import dev.keyledger.portal.web.ReadYourWrites;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The {@code API Keys} page and everything a key row leads to: creating a secret key, rolling and
 * revoking a key, and a key's own page. A new key's plaintext is rendered straight from the
 * command-service's answer into that one response (marked {@code no-store}) and kept nowhere else.
 */
@Controller
@RequestMapping("/organizations/{org}/api-keys")
class ApiKeysController {

    /** A row of the table: the key and whether it is due for rotation. */
    public record KeyRow(KeyView key, boolean rotationDue) {}

    private static final long MAX_GRACE_SECONDS = 604_800;

    private final CommandApi commands;
    private final QueryApi queries;
    private final FormTokens formTokens;
    private final ReadYourWrites readYourWrites;
    private final PortalProperties properties;
    private final Clock clock = Clock.systemUTC();

    ApiKeysController(
            CommandApi commands,
            QueryApi queries,
            FormTokens formTokens,
            ReadYourWrites readYourWrites,
            PortalProperties properties) {
        this.commands = commands;
        this.queries = queries;
        this.formTokens = formTokens;
        this.readYourWrites = readYourWrites;
        this.properties = properties;
    }

    @GetMapping
    String list(
            @PathVariable String org,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String sort,
            @ModelAttribute("user") PortalUser user,
            Model model) {
        Instant now = clock.instant();
        KeyTableSort order = KeyTableSort.of(sort);
        String from = CursorPage.cursor(cursor);
        CursorList<KeyView> keys;
        try {
            // One page of the read API, in the table's order: never every key of the organization.
            keys = queries.keyPage(org, "secret", null, null, order.sort(), properties.pageSize(), from);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 || from == null) {
                throw refusal;
            }
            // A cursor the read API no longer accepts (edited, or of an older sort): the first page.
            return "redirect:/organizations/" + org + "/api-keys?sort=" + order.sort();
        }
        List<KeyRow> rows = keys.data().stream()
                .map(key -> new KeyRow(
                        key,
                        key.active() && Duration.between(key.createdAt(), now).compareTo(properties.rotationAge()) > 0))
                .toList();
        model.addAttribute("org", org);
        model.addAttribute("page", CursorPage.of(rows, page, keys.prevCursor(), keys.nextCursor()));
        model.addAttribute("sorting", order);
        model.addAttribute("canManage", user.canManage(org));
        // Two calls of GET .../usage (last 24 hours, last 30 days), never one per key.
        model.addAttribute("usageTotals", UsageTotals.read(queries, org, clock));
        return "api-keys";
    }

    @GetMapping("/new")
    String createForm(@PathVariable String org, HttpSession session, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("formToken", formTokens.issue(session));
        return "api-key-new";
    }

    @PostMapping
    String create(
            @PathVariable String org,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(name = "expires_at", defaultValue = "") String expiresAt,
            @RequestParam(name = "form_token", required = false) String formToken,
            HttpSession session,
            HttpServletResponse response,
            Model model) {
        model.addAttribute("org", org);
        if (!formTokens.consume(session, formToken)) {
            response.setStatus(409);
            return "form-used";
        }
        Instant expiry;
        try {
            expiry = expiresAt.isBlank() ? null : LocalDateTime.parse(expiresAt).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return createFormAgain(
                    org, name, expiresAt, "Expires at must be a date and time", session, response, model);
        }
        IssuedKey issued;
        try {
            issued = commands.createSecretKey(org, name, expiry, formToken);
        } catch (ApiException refusal) {
            if (refusal.status() != 400 && refusal.status() != 409) {
                throw refusal;
            }
            return createFormAgain(org, name, expiresAt, refusal.describe(), session, response, model);
        }
        return shownOnce(issued, org, response, model);
    }

    @GetMapping("/{key}")
    String key(
            @PathVariable String org,
            @PathVariable String key,
            @RequestParam(defaultValue = "hour") String interval,
            @ModelAttribute("user") PortalUser user,
            Model model) {
        String bucket = List.of("minute", "hour", "day").contains(interval) ? interval : "hour";
        Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant from = switch (bucket) {
            case "minute" -> to.minus(1, ChronoUnit.HOURS);
            case "day" -> to.minus(30, ChronoUnit.DAYS);
            default -> to.minus(24, ChronoUnit.HOURS);
        };
        KeyView view = queries.key(org, key);
        model.addAttribute("org", org);
        model.addAttribute("key", view);
        model.addAttribute("history", queries.history(org, key));
        ChronoUnit step = switch (bucket) {
            case "minute" -> ChronoUnit.MINUTES;
            case "day" -> ChronoUnit.DAYS;
            default -> ChronoUnit.HOURS;
        };
        model.addAttribute("usage", UsageChart.of(queries.usage(org, key, from, to, bucket), from, to, step));
        model.addAttribute("interval", bucket);
        model.addAttribute("canManage", user.canManage(org) && view.active());
        return "api-key";
    }

    @GetMapping("/{key}/revoke")
    String revokeDialog(@PathVariable String org, @PathVariable String key, Model model) {
        KeyView view = queries.key(org, key);
        model.addAttribute("org", org);
        model.addAttribute("key", view);
        model.addAttribute("back", back(org, view));
        return "revoke";
    }

    @PostMapping("/{key}/revoke")
    String revoke(@PathVariable String org, @PathVariable String key, RedirectAttributes redirect) {
        KeyView view = queries.key(org, key);
        commands.revoke(org, key);
        readYourWrites.await(() -> !queries.key(org, key).active());
        redirect.addFlashAttribute("notice", "Key " + view.name() + " revoked.");
        return "redirect:" + back(org, view);
    }

    @GetMapping("/{key}/roll")
    String rollDialog(@PathVariable String org, @PathVariable String key, HttpSession session, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("key", queries.key(org, key));
        model.addAttribute("formToken", formTokens.issue(session));
        return "roll";
    }

    @PostMapping("/{key}/roll")
    String roll(
            @PathVariable String org,
            @PathVariable String key,
            @RequestParam(name = "grace_period_seconds", defaultValue = "") String grace,
            @RequestParam(name = "form_token", required = false) String formToken,
            HttpSession session,
            HttpServletResponse response,
            Model model) {
        model.addAttribute("org", org);
        if (!formTokens.consume(session, formToken)) {
            response.setStatus(409);
            return "form-used";
        }
        long seconds;
        try {
            seconds = Long.parseLong(grace.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_GRACE_SECONDS) {
            response.setStatus(400);
            model.addAttribute("key", queries.key(org, key));
            model.addAttribute("formToken", formTokens.issue(session));
            model.addAttribute("error", "Grace period (seconds) must be a whole number from 0 to 604800");
            return "roll";
        }
        return shownOnce(commands.roll(org, key, seconds), org, response, model);
    }

    /**
     * The one response that carries a secret: {@code no-store} so that neither the browser nor a
     * proxy keeps it, and a reload (which would resend the form) finds its token used.
     */
    private String shownOnce(IssuedKey issued, String org, HttpServletResponse response, Model model) {
        response.setStatus(201);
        response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
        response.setHeader("Pragma", "no-cache");
        model.addAttribute("org", org);
        model.addAttribute("issued", issued);
        model.addAttribute(
                "back",
                issued.databaseId() == null
                        ? "/organizations/" + org + "/api-keys"
                        : "/organizations/" + org + "/databases/" + issued.databaseId());
        return "api-key-created";
    }

    private String createFormAgain(
            String org,
            String name,
            String expiresAt,
            String error,
            HttpSession session,
            HttpServletResponse response,
            Model model) {
        response.setStatus(400);
        model.addAttribute("org", org);
        model.addAttribute("name", name);
        model.addAttribute("expiresAt", expiresAt);
        model.addAttribute("error", error);
        model.addAttribute("formToken", formTokens.issue(session));
        return "api-key-new";
    }

    private static String back(String org, KeyView key) {
        return key.databaseId() == null
                ? "/organizations/" + org + "/api-keys"
                : "/organizations/" + org + "/databases/" + key.databaseId();
    }
}
