#pragma once
// Value-or-error returned by every core function that can fail. Exceptions from
// libraries are caught at the job boundary and turned into an Error a person can act on.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vigil {

struct Error
{
    std::string message;
};

template <typename T> class Result
{
  public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(m_data); }
    const T& value() const& { return std::get<T>(m_data); }
    T&& value() && { return std::get<T>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<Error>(m_data); }

    // Non-fatal notes the caller should show (e.g. "column 'x' is all null").
    std::vector<std::string> warnings;

  private:
    std::variant<T, Error> m_data;
};

} // namespace vigil
