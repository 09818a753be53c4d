// DictionaryBuilder (ingest/row_sink.h) gives each distinct text one code, in order of first
// appearance, and take() returns the texts by code. Its short-text table packs texts of up to
// 16 bytes into two words: texts that differ in one byte at any position, by length only, by
// an embedded NUL, and more distinct texts than the table takes must all keep distinct codes,
// checked against a std::map built alongside.
#include "ingest/row_sink.h"

#include <QTest>

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace vigil;

class TestDictionaryBuilder : public QObject
{
    Q_OBJECT

  private slots:
    void codesMatchFirstAppearance_data()
    {
        QTest::addColumn<int>("distinct");
        QTest::addColumn<int>("maxLength");
        QTest::newRow("few short") << 5 << 6;
        QTest::newRow("around 8 and 16 bytes") << 60 << 20;
        QTest::newRow("more than the table holds") << 1000 << 16;
        QTest::newRow("long texts") << 50 << 64;
    }

    void codesMatchFirstAppearance()
    {
        QFETCH(int, distinct);
        QFETCH(int, maxLength);
        std::mt19937_64 rng(static_cast<std::uint64_t>(distinct) * 7 + static_cast<std::uint64_t>(maxLength));
        std::vector<std::string> pool;
        // Every length up to maxLength, and each with one byte changed at every position.
        for (int len = 0; len <= maxLength; ++len) {
            std::string base(static_cast<std::size_t>(len), 'a');
            pool.push_back(base);
            for (int pos = 0; pos < len; ++pos) {
                std::string other = base;
                other[static_cast<std::size_t>(pos)] = 'b';
                pool.push_back(other);
                other[static_cast<std::size_t>(pos)] = '\0';
                pool.push_back(other);
            }
        }
        std::uniform_int_distribution<int> byte('0', 'z');
        std::uniform_int_distribution<int> length(0, maxLength);
        while (static_cast<int>(pool.size()) < distinct) {
            std::string s(static_cast<std::size_t>(length(rng)), ' ');
            for (char& c : s)
                c = static_cast<char>(byte(rng));
            pool.push_back(s);
        }
        pool.resize(static_cast<std::size_t>(std::max(distinct, 1)));
        std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
        ingest::DictionaryBuilder dict;
        std::map<std::string, std::uint32_t> expected;
        std::vector<std::string> order;
        for (int i = 0; i < 20000; ++i) {
            const std::string& text = pool[pick(rng)];
            const auto [it, added] = expected.emplace(text, static_cast<std::uint32_t>(order.size()));
            if (added)
                order.push_back(text);
            QCOMPARE(dict.intern(text), it->second);
        }
        QCOMPARE(dict.take(), order);
        // After take() the builder starts over.
        QCOMPARE(dict.intern(order.back()), std::uint32_t(0));
    }
};

QTEST_GUILESS_MAIN(TestDictionaryBuilder)
#include "tst_dictionary_builder.moc"
