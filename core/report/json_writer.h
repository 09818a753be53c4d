#pragma once
// A minimal streaming JSON writer: strict JSON out (non-finite numbers become null,
// their counts are reported separately), shortest round-trip number text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class JsonWriter
{
  public:
    explicit JsonWriter(int indentStep = 1) : m_indentStep(indentStep) {}

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(std::uint64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& value(const std::optional<double>& number);
    JsonWriter& null();

    template <typename T> JsonWriter& field(std::string_view name, const T& v)
    {
        key(name);
        return value(v);
    }

    const std::string& str() const { return m_out; }
    std::string take() { return std::move(m_out); }

    static void appendEscaped(std::string& out, std::string_view text);

  private:
    void beforeValue();
    void newline();
    void closeContainer(char bracket);

    std::string m_out;
    std::vector<bool> m_hasItems; // one per open container
    bool m_afterKey = false;
    int m_indentStep;
};

} // namespace vigil
