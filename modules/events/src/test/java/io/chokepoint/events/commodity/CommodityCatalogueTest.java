package io.chokepoint.events.commodity;

import io.chokepoint.events.HsCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommodityCatalogueTest {

    private final CommodityCatalogue catalogue = CommodityCatalogue.defaultCatalogue();

    @Test
    void coversTheTradeStoryWithValidCodes() {
        assertThat(catalogue.all()).hasSizeGreaterThanOrEqualTo(30)
                .allSatisfy(c -> assertThat(HsCode.isValid(c.hsCode())).as(c.hsCode()).isTrue());
        assertThat(catalogue.find("850511")).get().extracting(Commodity::group).isEqualTo("permanent-magnets");
        assertThat(catalogue.inGroup("rare-earth-compounds")).extracting(Commodity::hsCode).contains("284610", "284690");
        assertThat(catalogue.groupOf("999999")).isEqualTo("uncatalogued");
        assertThat(catalogue.nameOf("841112")).contains("Turbojets");
    }

    @Test
    void hsCodesAreNormalised() {
        assertThat(HsCode.normalise("8505.11")).contains("850511");
        assertThat(HsCode.normalise(" 850511 ")).contains("850511");
        assertThat(HsCode.normalise("85051")).isEmpty();
        assertThat(HsCode.normalise("8505.1")).isEmpty();
        assertThat(HsCode.normalise("85051a")).isEmpty();
        assertThat(HsCode.normalise(null)).isEmpty();
    }
}
