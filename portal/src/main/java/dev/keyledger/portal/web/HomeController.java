package dev.keyledger.portal.web;

import dev.keyledger.portal.security.PortalUser;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/** {@code /}: the API Keys page of the user's organization, or the organization list of a platform admin. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@ModelAttribute("user") PortalUser user) {
        if (user.homeOrganization() != null) {
            return "redirect:/organizations/" + user.homeOrganization() + "/api-keys";
        }
        return "redirect:/organizations";
    }
}
