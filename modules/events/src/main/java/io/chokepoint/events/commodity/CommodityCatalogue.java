package io.chokepoint.events.commodity;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HS-6 commodities of the US–China trade story, with names and groups (resource {@code commodities.csv}). */
public final class CommodityCatalogue {

    private static final String RESOURCE = "/io/chokepoint/events/commodities.csv";
    private static final CommodityCatalogue DEFAULT = load();

    private final Map<String, Commodity> byCode;

    private CommodityCatalogue(Map<String, Commodity> byCode) {
        this.byCode = Collections.unmodifiableMap(byCode);
    }

    public static CommodityCatalogue defaultCatalogue() {
        return DEFAULT;
    }

    public Optional<Commodity> find(String hsCode) {
        return Optional.ofNullable(byCode.get(hsCode));
    }

    /** The commodity's name, or the code itself for commodities outside the catalogue. */
    public String nameOf(String hsCode) {
        return find(hsCode).map(Commodity::name).orElse(hsCode);
    }

    /** The commodity's group, or {@code uncatalogued}. */
    public String groupOf(String hsCode) {
        return find(hsCode).map(Commodity::group).orElse("uncatalogued");
    }

    public Collection<Commodity> all() {
        return byCode.values();
    }

    public List<Commodity> inGroup(String group) {
        return byCode.values().stream().filter(c -> c.group().equals(group)).toList();
    }

    private static CommodityCatalogue load() {
        try (InputStream in = CommodityCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("commodity catalogue resource " + RESOURCE + " is missing from the classpath");
            }
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            Map<String, Commodity> byCode = new LinkedHashMap<>();
            CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
            for (CSVRecord row : format.parse(reader)) {
                Commodity commodity = new Commodity(row.get("hs_code"), row.get("name"), row.get("group"));
                if (byCode.put(commodity.hsCode(), commodity) != null) {
                    throw new IllegalStateException("commodity catalogue lists " + commodity.hsCode() + " twice");
                }
            }
            return new CommodityCatalogue(byCode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
