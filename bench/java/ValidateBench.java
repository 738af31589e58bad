// The Java reference of bench/einvoice.py: the KoSIT validator's steps with plain Saxon-HE (s9api) and
// javax.xml.validation, over the rule files and invoices that bench/einvoice.py writes into a manifest.
//
//   java -cp Saxon-HE.jar:<classes> ValidateBench <manifest> [--cold]
//
// Per invoice, as KoSIT's validator and the Python side do it: parse the document (Saxon tree); evaluate
// every scenario's match XPath and take the one that matches; the scenario's XML Schema
// (javax.xml.validation, a new Validator per document); each Schematron XSLT of the scenario, its SVRL
// serialised; the createReportInput document built as text and parsed; the scenario's report XSLT with the
// document as `input-document`; acceptMatch on the report; the report serialised. Stylesheets, XPaths and
// schemas are compiled on first use and cached (so the first invoice pays for what it needs: the cold start).
//
// It validates the first invoice (the cold start) and, unless --cold, then takes commands on stdin: "warm" (one
// unmeasured round over all invoices), "round" (one measured round) and "end" (the split, then exit).
// Output: one "key value..." line per figure (times in nanoseconds), read by bench/einvoice.py.

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathExecutable;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;

public final class ValidateBench {
    static final String IN_NS = "http://www.xoev.de/de/validator/framework/1/createreportinput";
    static final String SCENARIOS_NS = "http://www.xoev.de/de/validator/framework/1/scenarios";
    static final String SVRL_NS = "http://purl.oclc.org/dsdl/svrl";
    // "other": the SVRL serialised (the Python side times that outside its steps too)
    static final String[] STEPS = {"parse", "scenario", "xsd", "schematron-1", "schematron-2", "report", "other"};

    static final class Resource {
        final String name;
        final String location; // as in scenarios.xml, and so in the report input
        final String path;

        Resource(String name, String location, String path) {
            this.name = name;
            this.location = location;
            this.path = path;
        }
    }

    static final class Scenario {
        String name;
        String match;
        Resource schema;
        Resource report;
        String acceptMatch;
        String element; // the <s:scenario> element as the report XSLT reads it
        final List<Resource> schematrons = new ArrayList<>();
        final Map<String, String> namespaces = new LinkedHashMap<>();
        XPathExecutable compiledMatch;
        XPathExecutable compiledAccept;
    }

    static final class Invoice {
        final String name;
        final byte[] content;

        Invoice(String name, byte[] content) {
            this.name = name;
            this.content = content;
        }
    }

    final Processor processor = new Processor(false);
    final DocumentBuilder builder = processor.newDocumentBuilder();
    final Map<String, XsltExecutable> stylesheets = new HashMap<>();
    final Map<String, Schema> schemas = new HashMap<>();
    final List<Scenario> scenarios = new ArrayList<>();
    final List<Invoice> invoices = new ArrayList<>();
    final long[] stepNanos = new long[STEPS.length];
    // The report's messages, counted as the Python side turns them into findings: both sides must agree.
    XPathExecutable messageCount;
    long messages;
    final String engine = "Saxon-HE " + processor.getSaxonProductVersion() + " (Java " + System.getProperty("java.version") + ")";

    ValidateBench() {
        // As the KoSIT validator and the Python side: documents with a DOCTYPE are refused.
        processor.getUnderlyingConfiguration().setConfigurationProperty(
                "http://saxon.sf.net/feature/parserFeature?uri=http%3A//apache.org/xml/features/disallow-doctype-decl", true);
    }

    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // Manifest lines, tab-separated and backslash-escaped:
    //   scenario name match accept-match element-file
    //   namespace prefix uri                              (of the scenario above)
    //   resource schema|schematron|report name location path   (of the scenario above; schematrons in order)
    //   invoice path
    void readManifest(Path manifest) throws IOException {
        Scenario current = null;
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            for (int i = 0; i < f.length; i++) {
                f[i] = unescape(f[i]);
            }
            switch (f[0]) {
                case "scenario":
                    current = new Scenario();
                    current.name = f[1];
                    current.match = f[2];
                    current.acceptMatch = f[3].isEmpty() ? null : f[3];
                    current.element = new String(Files.readAllBytes(Paths.get(f[4])), StandardCharsets.UTF_8)
                            .replaceFirst("^<\\?xml[^>]*\\?>\\s*", "");
                    scenarios.add(current);
                    break;
                case "namespace":
                    current.namespaces.put(f[1], f[2]);
                    break;
                case "resource":
                    Resource resource = new Resource(f[2], f[3], f[4]);
                    if (f[1].equals("schema")) {
                        current.schema = resource;
                    } else if (f[1].equals("schematron")) {
                        current.schematrons.add(resource);
                    } else {
                        current.report = resource;
                    }
                    break;
                case "invoice":
                    Path path = Paths.get(f[1]);
                    invoices.add(new Invoice(path.getFileName().toString(), Files.readAllBytes(path)));
                    break;
                default:
                    throw new IOException("unknown manifest line: " + f[0]);
            }
        }
    }

    XsltExecutable stylesheet(String path) throws SaxonApiException {
        XsltExecutable compiled = stylesheets.get(path);
        if (compiled == null) {
            compiled = processor.newXsltCompiler().compile(new StreamSource(new File(path)));
            stylesheets.put(path, compiled);
        }
        return compiled;
    }

    Schema schema(String path) throws Exception {
        Schema compiled = schemas.get(path);
        if (compiled == null) {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            compiled = factory.newSchema(new File(path));
            schemas.put(path, compiled);
        }
        return compiled;
    }

    XPathExecutable xpath(Scenario scenario, String expression) throws SaxonApiException {
        XPathCompiler compiler = processor.newXPathCompiler();
        scenario.namespaces.forEach(compiler::declareNamespace);
        return compiler.compile(expression);
    }

    static boolean isTrue(XPathExecutable expression, XdmNode context) throws SaxonApiException {
        XPathSelector selector = expression.load();
        selector.setContextItem(context);
        return selector.effectiveBooleanValue();
    }

    String serialize(XdmNode node) throws SaxonApiException {
        StringWriter out = new StringWriter();
        Serializer serializer = processor.newSerializer(out);
        // As the Python side writes SVRL and report (and as the rule stylesheets' xsl:output asks): indented.
        serializer.setOutputProperty(Serializer.Property.METHOD, "xml");
        serializer.setOutputProperty(Serializer.Property.INDENT, "yes");
        serializer.setOutputProperty(Serializer.Property.OMIT_XML_DECLARATION, "yes");
        serializer.serializeNode(node);
        return out.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static void resource(StringBuilder out, Resource resource) {
        out.append("<s:resource><s:name>").append(escape(resource.name)).append("</s:name><s:location>")
                .append(escape(resource.location)).append("</s:location></s:resource>");
    }

    /** One invoice through all steps; returns whether it was accepted. */
    boolean validate(Invoice invoice) throws Exception {
        long t0 = System.nanoTime();
        XdmNode document = builder.build(new StreamSource(new ByteArrayInputStream(invoice.content), invoice.name));
        long t1 = System.nanoTime();
        Scenario scenario = null;
        int matching = 0;
        for (Scenario candidate : scenarios) {
            if (candidate.compiledMatch == null) {
                candidate.compiledMatch = xpath(candidate, candidate.match);
            }
            if (isTrue(candidate.compiledMatch, document)) {
                scenario = candidate;
                matching++;
            }
        }
        if (matching != 1) {
            throw new IllegalStateException(invoice.name + ": " + matching + " scenarios match");
        }
        long t2 = System.nanoTime();
        List<String> schemaErrors = new ArrayList<>();
        if (scenario.schema != null) {
            Validator validator = schema(scenario.schema.path).newValidator();
            validator.setErrorHandler(new ErrorHandler() {
                public void warning(SAXParseException e) {}

                public void error(SAXParseException e) {
                    schemaErrors.add(e.getMessage());
                }

                public void fatalError(SAXParseException e) {
                    schemaErrors.add(e.getMessage());
                }
            });
            validator.validate(new StreamSource(new ByteArrayInputStream(invoice.content), invoice.name));
        }
        long t3 = System.nanoTime();
        stepNanos[0] += t1 - t0;
        stepNanos[1] += t2 - t1;
        stepNanos[2] += t3 - t2;
        List<String> svrl = new ArrayList<>();
        boolean valid = schemaErrors.isEmpty();
        if (valid) {
            int index = 3;
            for (Resource schematron : scenario.schematrons) {
                long started = System.nanoTime();
                XsltTransformer transformer = stylesheet(schematron.path).load();
                transformer.setInitialContextNode(document);
                XdmDestination result = new XdmDestination();
                transformer.setDestination(result);
                transformer.transform();
                long transformed = System.nanoTime();
                svrl.add(serialize(result.getXdmNode()));
                stepNanos[Math.min(index++, 4)] += transformed - started; // all scenarios have two
                stepNanos[6] += System.nanoTime() - transformed;
            }
        }
        long t4 = System.nanoTime();
        StringBuilder input = new StringBuilder(8192 + svrl.stream().mapToInt(String::length).sum());
        input.append("<in:createReportInput xmlns:in=\"").append(IN_NS).append("\" xmlns:s=\"").append(SCENARIOS_NS)
                .append("\" xmlns:svrl=\"").append(SVRL_NS).append("\" frameworkVersion=\"1.0.2\">")
                .append("<in:engine><in:name>").append(escape(engine)).append("</in:name></in:engine>")
                .append("<in:timestamp>").append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("</in:timestamp>")
                .append("<in:documentIdentification><in:documentHash><in:hashAlgorithm>SHA-256</in:hashAlgorithm>")
                .append("<in:hashValue>")
                .append(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(invoice.content)))
                .append("</in:hashValue></in:documentHash><in:documentReference>").append(escape(invoice.name))
                .append("</in:documentReference></in:documentIdentification>")
                .append(scenario.element)
                .append("<in:validationResultsWellformedness/>");
        if (scenario.schema != null) {
            input.append("<in:validationResultsXmlSchema>");
            resource(input, scenario.schema);
            for (String error : schemaErrors) {
                input.append("<in:xmlSyntaxError><in:message>").append(escape(error)).append("</in:message>")
                        .append("<in:severityCode>SEVERITY_ERROR</in:severityCode><in:rowNumber>-1</in:rowNumber>")
                        .append("<in:columnNumber>-1</in:columnNumber></in:xmlSyntaxError>");
            }
            input.append("</in:validationResultsXmlSchema>");
        }
        for (int i = 0; i < svrl.size(); i++) {
            input.append("<in:validationResultsSchematron>");
            resource(input, scenario.schematrons.get(i));
            input.append("<in:results>").append(svrl.get(i)).append("</in:results></in:validationResultsSchematron>");
        }
        input.append("</in:createReportInput>");
        XdmNode reportInput = builder.build(new StreamSource(new StringReader(input.toString())));
        XsltTransformer transformer = stylesheet(scenario.report.path).load();
        transformer.setParameter(new QName("input-document"), document);
        transformer.setInitialContextNode(reportInput);
        XdmDestination result = new XdmDestination();
        transformer.setDestination(result);
        transformer.transform();
        XdmNode report = result.getXdmNode();
        boolean accepted;
        if (valid && scenario.acceptMatch != null) {
            if (scenario.compiledAccept == null) {
                scenario.compiledAccept = xpath(scenario, scenario.acceptMatch);
            }
            accepted = isTrue(scenario.compiledAccept, report);
        } else {
            accepted = valid && svrl.stream().noneMatch(text -> text.contains("failed-assert"));
        }
        String varl = serialize(report);
        if (messageCount == null) {
            messageCount = processor.newXPathCompiler().compile("count(//*:validationStepResult/*:message)");
        }
        XPathSelector counter = messageCount.load();
        counter.setContextItem(report);
        messages += ((net.sf.saxon.s9api.XdmAtomicValue) counter.evaluateSingle()).getLongValue();
        stepNanos[5] += System.nanoTime() - t4;
        return accepted && !varl.isEmpty();
    }

    /** One round over all invoices; returns the rejected count and fills `times` (nanoseconds per invoice). */
    int round(long[] times) throws Exception {
        int rejected = 0;
        for (int i = 0; i < invoices.size(); i++) {
            long started = System.nanoTime();
            if (!validate(invoices.get(i))) {
                rejected++;
            }
            times[i] = System.nanoTime() - started;
        }
        return rejected;
    }

    static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && !(args.length == 2 && args[1].equals("--cold"))) {
            System.err.println("usage: ValidateBench <manifest> [--cold]   (then commands on stdin: warm, round, end)");
            System.exit(2);
        }
        ValidateBench bench = new ValidateBench();
        bench.readManifest(Paths.get(args[0]));

        long first = System.nanoTime();
        boolean accepted = bench.validate(bench.invoices.get(0));
        long done = System.nanoTime();
        System.out.println("first " + (done - first) + " " + (accepted ? "accept" : "reject"));
        System.out.flush();
        if (args.length == 2) {
            return;
        }
        // The parent lets both sides take turns round by round, so a busy machine slows both alike.
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long[] times = new long[bench.invoices.size()];
        boolean measuring = false;
        for (String command; (command = commands.readLine()) != null; ) {
            switch (command) {
                case "warm":
                    // With the JIT's compile time in the round: the parent warms up until the JIT is idle.
                    long begun = System.nanoTime();
                    long compiling = jitMillis();
                    bench.round(times);
                    System.out.println("done " + (System.nanoTime() - begun) + " " + (jitMillis() - compiling));
                    break;
                case "round":
                    if (!measuring) {
                        Arrays.fill(bench.stepNanos, 0); // the split covers the measured rounds only
                        measuring = true;
                    }
                    long started = System.nanoTime();
                    long cpuStarted = processCpuNanos();
                    bench.messages = 0;
                    int rejected = bench.round(times);
                    System.out.println("messages " + bench.messages);
                    // CPU time of the whole JVM (JIT and GC threads included): less disturbed by a busy machine.
                    System.out.println("cpu " + (processCpuNanos() - cpuStarted));
                    StringBuilder line = new StringBuilder("round ").append(System.nanoTime() - started)
                            .append(' ').append(rejected);
                    for (long t : times) {
                        line.append(' ').append(t);
                    }
                    System.out.println(line);
                    break;
                case "end":
                    System.out.println("engine " + bench.engine);
                    for (int i = 0; i < STEPS.length; i++) {
                        System.out.println("step " + STEPS[i] + " " + bench.stepNanos[i]);
                    }
                    System.out.println("done");
                    System.out.flush();
                    return;
                default:
                    throw new IllegalArgumentException("unknown command " + command);
            }
            System.out.flush();
        }
    }
}
