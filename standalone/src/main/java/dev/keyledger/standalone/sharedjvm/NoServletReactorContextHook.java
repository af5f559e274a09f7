package dev.keyledger.standalone.sharedjvm;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Keeps Spring Security's servlet-to-Reactor context bridge out of a service context in the
 * standalone. {@code @EnableWebSecurity} imports {@code SecurityReactorContextConfiguration}
 * whenever WebFlux's {@code ExchangeFilterFunction} and an OAuth2 module are on the classpath, and
 * its registrar installs {@code Hooks.onLastOperator}: a JVM-wide hook that wraps the last operator
 * of every Reactor chain, so that a servlet application's OAuth2 {@code WebClient} filters can read
 * the current request. In the standalone, the edge's WebFlux server shares the JVM with three
 * servlet applications, so that hook ran on every forward-auth and proxied request of the edge
 * (docs/profiles.md, "Proxy mode"). No service of ours calls out with a {@code WebClient} from a
 * servlet request (the portal uses {@code RestClient}), so the bridge has nothing to carry; a
 * service deployed on its own never shares its JVM with the edge, so this is the standalone's
 * concern only. The identity provider and every service started by the standalone apply it.
 */
public final class NoServletReactorContextHook implements BeanFactoryPostProcessor {

    /** Adds the hook's removal to an application about to run in the standalone's JVM. */
    public static SpringApplicationBuilder applyTo(SpringApplicationBuilder application) {
        return application.initializers(
                context -> context.addBeanFactoryPostProcessor(new NoServletReactorContextHook()));
    }

    static final String REGISTRAR_FACTORY_METHOD = "securityReactorContextSubscriberRegistrar";

    private static final String CONFIGURATION_CLASS =
            "org.springframework.security.config.annotation.web.configuration.SecurityReactorContextConfiguration";

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
            return;
        }
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            String factoryBean = definition.getFactoryBeanName();
            if (REGISTRAR_FACTORY_METHOD.equals(definition.getFactoryMethodName())
                    && factoryBean != null
                    && registry.containsBeanDefinition(factoryBean)
                    && isConfigurationClass(
                            registry.getBeanDefinition(factoryBean).getBeanClassName())) {
                registry.removeBeanDefinition(name);
            }
        }
    }

    /** The class itself, or its CGLIB subclass once the configuration classes are enhanced. */
    private static boolean isConfigurationClass(String className) {
        return className != null
                && (className.equals(CONFIGURATION_CLASS) || className.startsWith(CONFIGURATION_CLASS + "$$"));
    }
}
