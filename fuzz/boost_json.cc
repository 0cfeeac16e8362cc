// Boost.JSON compiled into the fuzz targets, so that its parser is instrumented too.
#include <boost/json/src.hpp>
