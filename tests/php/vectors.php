<?php
/*
 * Test-vector oracle for paykit-runtime's `form::http_build_query`.
 *
 *   php tests/php/vectors.php [--count N] [--seed S]
 *
 * Prints a JSON array of N (default 250) random parameter sets, each as
 * {"params": <json>, "query": <http_build_query($params, '', '&')>,
 *  "signature": <base64(hmac-sha256(query, secret))>, "secret": <secret>}.
 * The same seed always yields the same vectors (mt_srand); without --seed a random seed is used
 * and reported on stderr.
 *
 * "query" is computed from json_decode() of the emitted params text, i.e. from exactly the values a
 * JSON reader sees, and each set is checked to survive the JSON round trip unchanged (types included),
 * so floats stay floats and integers stay integers.
 */

declare(strict_types=1);

// PHP's defaults, pinned so a custom php.ini cannot change the oracle: http_build_query prints floats
// with `precision`; json_encode uses `serialize_precision` (-1 = shortest repr that round-trips).
ini_set('precision', '14');
ini_set('serialize_precision', '-1');

const JSON_FLAGS = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION
    | JSON_THROW_ON_ERROR;
const MAX_DEPTH = 5;

const FRAGMENTS = [
    '', ' ', '  ', 'a', 'Z', 'abc', 'Hello World', '0', '42', '-1', '-_.', '~', '*', '&', '=', '+', '%',
    '#', '?', '/', '[', ']', '[]', '[0]', 'a[b]', '%20', '%7E', '%%', "\n", "\r\n", "\t", "\0", "\x7f",
    '"', "'", '\\', '<>', ',;:@$!()', '^`{|}', 'ü', 'é', 'ß', 'Ä', 'Ωμέγα', '日本語', '中文', 'العربية',
    'עברית', "e\u{301}", "\u{1F600}", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", "\u{1F1E9}\u{1F1EA}",
    "\u{FEFF}", "\u{A0}", "\u{2028}", '€', '£', 'max.muster@example.com',
    'https://shop.example/ok?x=1&y=2#frag', 'Order #1 ~ test', 'true', 'null', '1.0E+25', ' leading',
    'trailing ', '-', '.', '_', 'P1M', 'CHF',
];

// Keys PHP's json_decode turns into integer keys, and look-alikes it keeps as strings.
const NUMERIC_KEYS = ['0', '1', '7', '42', '-1', '007', '1.5', ' 1', '1e3', '-0', '9223372036854775807',
    '9223372036854775808'];

const TRICKY_FLOATS = [
    1.0, 0.1, 0.5, 2.5, -1.5, 100.0, 1e20, 1.5e-7, -0.0, 0.0, 1e15, 123456789012345680000.0, 1e14, 1e13,
    1e16, 1e17, 1e21, 1e22, 1e25, 1e100, -1e300, 0.0001, 0.00001, 0.000125, 9.9999999999999e-5,
    9.999999999999999e-5, 99999999999999.5, 999999999999999.5, 10000000000000.5, 10000000000001.5,
    123456789012345.0, 12345678901234.0, 1234567890123456.7, 0.30000000000000004, 0.3333333333333333,
    0.6666666666666666, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 9007199254740993.0,
    9.223372036854775807e18, 1.8446744073709552e19, 89.25, 0.01, 19.99, 1.005, 4.35, 1e-4, 1e-3,
    934121670636405.0, 100000000000005.0, 100000000000015.0, 934121670636401.0, 1000000000000050.0,
];

function chance(int $percent): bool
{
    return mt_rand(1, 100) <= $percent;
}

function pick(array $items): mixed
{
    return $items[mt_rand(0, count($items) - 1)];
}

function gen_string(): string
{
    $s = '';
    for ($n = mt_rand(0, 5); $n > 0; $n--) {
        $s .= pick(FRAGMENTS);
    }
    return $s;
}

function gen_key(): string
{
    if (chance(15)) {
        return pick(NUMERIC_KEYS);
    }
    if (chance(50)) {
        $s = '';
        for ($n = mt_rand(1, 12); $n > 0; $n--) {
            $s .= pick(str_split('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'));
        }
        return $s;
    }
    return gen_string();
}

function gen_int(): int
{
    return match (mt_rand(0, 5)) {
        0 => pick([0, 1, -1, PHP_INT_MAX, PHP_INT_MIN, PHP_INT_MAX - 1, PHP_INT_MIN + 1, 2147483647, -2147483648,
            4294967296, 8925, 100]),
        1 => mt_rand(PHP_INT_MIN, PHP_INT_MAX),
        2 => mt_rand(-1000, 1000),
        3 => mt_rand(0, 100000000),
        default => mt_rand(-2147483648, 2147483647),
    };
}

function gen_float(): float
{
    switch (mt_rand(0, 6)) {
        case 0:
            return pick(TRICKY_FLOATS);
        case 1:
            // Any finite bit pattern: subnormals, huge exponents, 17-digit mantissas.
            do {
                $f = unpack('E', pack('NN', mt_rand(0, 0xFFFFFFFF), mt_rand(0, 0xFFFFFFFF)))[1];
            } while (!is_finite($f));
            return $f;
        case 2:
            // Money-like decimals.
            return mt_rand(-10000000, 10000000) / 100;
        case 3:
            // Exact ties at the 15th significant digit: rounding to 14 digits must go to even.
            return mt_rand(10000000000000, 99999999999999) + 0.5;
        case 4:
            // Around the plain/exponent notation switch (1e-5 and 1e15).
            return mt_rand(1, 999999999) / 10 ** mt_rand(0, 9) * 10.0 ** mt_rand(-8, 16);
        case 5:
            // Integral floats of 15 digits: the exact ties (ending in 5) keep trailing zeros in PHP.
            return (float) (mt_rand(10000000000000, 99999999999999) * 10 + (chance(50) ? 5 : mt_rand(0, 9)));
        default:
            return (mt_rand() / mt_getrandmax()) * 10.0 ** mt_rand(-30, 30) * (chance(30) ? -1 : 1);
    }
}

function gen_scalar(): mixed
{
    return match (mt_rand(0, 9)) {
        0, 1, 2, 3 => gen_string(),
        4, 5 => gen_int(),
        6, 7 => gen_float(),
        8 => chance(50),
        default => null,
    };
}

function gen_value(int $depth): mixed
{
    return $depth < MAX_DEPTH && chance(25) ? gen_container($depth + 1) : gen_scalar();
}

function gen_container(int $depth): array
{
    $size = chance(10) ? 0 : mt_rand(1, 5);
    $out = [];
    switch (mt_rand(0, 2)) {
        case 0: // list
            for ($i = 0; $i < $size; $i++) {
                $out[] = gen_value($depth);
            }
            break;
        case 1: // map keyed by small integers in random order (like VR pay's language ids)
            for ($i = 0; $i < $size; $i++) {
                $out[mt_rand(0, 6)] = gen_value($depth);
            }
            break;
        default: // map
            for ($i = 0; $i < $size; $i++) {
                $out[gen_key()] = gen_value($depth);
            }
    }
    return $out;
}

/** A chain of maps/lists exactly $levels deep, ending in a scalar. */
function gen_deep(int $levels): mixed
{
    if ($levels === 0) {
        $v = gen_scalar();
        return $v ?? 'leaf';
    }
    $inner = gen_deep($levels - 1);
    return chance(50) ? [$inner] : [gen_key() => $inner, gen_key() => gen_value(MAX_DEPTH)];
}

function gen_params(): array
{
    if (chance(3)) {
        return [];
    }
    if (chance(10)) {
        return gen_container(1);
    }
    $params = [];
    for ($n = mt_rand(1, 8); $n > 0; $n--) {
        $params[gen_key()] = gen_value(1);
    }
    if (chance(40)) {
        $params[gen_key()] = gen_deep(mt_rand(3, 5));
    }
    return $params;
}

function gen_secret(): string
{
    if (chance(10)) {
        return pick(['', 'example-api-secret']);
    }
    if (chance(20)) {
        return gen_string();
    }
    $s = '';
    for ($n = mt_rand(16, 64); $n > 0; $n--) {
        $s .= pick(str_split('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'));
    }
    return $s;
}

function usage(string $error): never
{
    fwrite(STDERR, "$error\nusage: php tests/php/vectors.php [--count N] [--seed S]\n");
    exit(2);
}

$opts = getopt('', ['count:', 'seed:']);
$count = $opts['count'] ?? '250';
$seed = $opts['seed'] ?? (string) random_int(0, 0x7FFFFFFF);
if (!is_string($count) || !ctype_digit($count) || (int) $count < 1) {
    usage('--count must be a positive integer');
}
if (!is_string($seed) || preg_match('/^-?\d+$/', $seed) !== 1) {
    usage('--seed must be an integer');
}
if (!isset($opts['seed'])) {
    fwrite(STDERR, "seed: $seed\n");
}
mt_srand((int) $seed);

$vectors = [];
for ($i = 0; $i < (int) $count; $i++) {
    $generated = gen_params();
    $params = json_decode(json_encode($generated, JSON_FLAGS), true, 512, JSON_THROW_ON_ERROR);
    if ($params !== $generated) {
        fwrite(STDERR, "vector $i does not survive the JSON round trip: " . var_export($generated, true) . "\n");
        exit(1);
    }
    $secret = gen_secret();
    $query = http_build_query($params, '', '&');
    $vectors[] = [
        'params' => $params,
        'query' => $query,
        'signature' => base64_encode(hash_hmac('sha256', $query, $secret, true)),
        'secret' => $secret,
    ];
}

echo json_encode($vectors, JSON_FLAGS | JSON_PRETTY_PRINT), "\n";
